package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void valuesOfTokenSecretKeyAndPasswordVariablesAreRedactedWhateverTheirCase() {
        Redaction redaction = Redaction.of(Map.of(
                "WORKSPACE_AUTH_TOKEN", "token-value",
                "client_secret", "secret-value",
                "Api_Key", "key-value-1",
                "DB_PASSWORD", "password-value",
                "GREETING", "hello-world"));

        assertThat(redaction.apply("token-value secret-value key-value-1 password-value hello-world"))
                .isEqualTo("[redacted] [redacted] [redacted] [redacted] hello-world");
    }

    @Test
    void aSecretContainingAnotherIsRedactedWhole() {
        Redaction redaction = new Redaction(List.of("abcdef", "abcdef-and-more"));

        assertThat(redaction.apply("x abcdef-and-more y")).isEqualTo("x [redacted] y");
    }

    @Test
    void flagsTooShortToBeSecretsAreLeftAlone() {
        Redaction redaction = Redaction.of(Map.of("USE_KEYRING", "1", "SECRET_MANAGER", "false"));

        assertThat(redaction.apply("1 false")).isEqualTo("1 false");
    }
}
