package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void hidesTheValuesOfVariablesNamedLikeSecrets() {
        SecretRedactor redactor = SecretRedactor.ofEnvironment(List.of(
                "WORKSPACE_AUTH_TOKEN=tok-123456", "OPENAI_API_KEY=sk-abcdef", "DB_PASSWORD=hunter22", "MODEL=opus-4"));

        assertThat(redactor.apply("tok-123456 sk-abcdef hunter22 opus-4"))
                .isEqualTo("[redacted] [redacted] [redacted] opus-4");
    }

    @Test
    void leavesShortFlagValuesAlone() {
        SecretRedactor redactor = SecretRedactor.ofEnvironment(List.of("USE_KEYRING=true", "SECRET_MODE=1"));

        assertThat(redactor.apply("keyring=true mode=1")).isEqualTo("keyring=true mode=1");
    }
}
