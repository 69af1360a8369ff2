package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every backend hides from consoles and error messages. */
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

    @Test
    void secretsAreReadFromNameValueLinesToo() {
        Redaction redaction = Redaction.ofLines(List.of(
                "WORKSPACE_AUTH_TOKEN=tok-123456", "OPENAI_API_KEY=sk-abcdef", "MODEL=opus-4", "not a variable"));

        assertThat(redaction.apply("tok-123456 sk-abcdef opus-4")).isEqualTo("[redacted] [redacted] opus-4");
    }

    @Test
    void combinedRedactionsHideBothSetsAndNeverPrintThem() {
        Redaction both = Redaction.ofValues(List.of("credential-1")).and(Redaction.of(Map.of("TOKEN", "token-2")));

        assertThat(both.apply("credential-1 token-2")).isEqualTo("[redacted] [redacted]");
        assertThat(both.toString()).doesNotContain("credential-1").doesNotContain("token-2");
    }
}
