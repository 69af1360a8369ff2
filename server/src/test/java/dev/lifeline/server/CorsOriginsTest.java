package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which browser origins may call Lifeline: named one by one, validated at start with the key named. */
class CorsOriginsTest {

    @Test
    void withoutSettingsTheCanvasDevelopmentOriginsAreAllowed() {
        CorsOrigins origins = CorsOrigins.from(Map.of());

        assertThat(origins.allows("http://localhost:3000")).isTrue();
        assertThat(origins.allows("http://localhost:3001")).isTrue();
        assertThat(origins.allows("http://localhost:3002")).isFalse();
        assertThat(origins.allows("http://127.0.0.1:3000")).isFalse();
        assertThat(origins.allows(null)).isFalse();
    }

    @Test
    void lifelinesKeyWinsOverTheReferencesWhichIsOtherwiseRead() {
        assertThat(CorsOrigins.from(Map.of("CORS_ORIGINS", "https://canvas.example.com"))
                        .origins())
                .containsExactly("https://canvas.example.com");
        assertThat(CorsOrigins.from(Map.of(
                                "CORS_ORIGINS", "https://old.example.com",
                                "LIFELINE_CORS_ORIGINS", "https://canvas.example.com"))
                        .origins())
                .containsExactly("https://canvas.example.com");
    }

    @Test
    void originsAreMatchedAsBrowsersWriteThem() {
        CorsOrigins origins = CorsOrigins.from(
                Map.of("LIFELINE_CORS_ORIGINS", " HTTP://Canvas.Example.com:80/ , https://ui.example.com:8443"));

        assertThat(origins.origins())
                .containsExactlyInAnyOrder("http://canvas.example.com", "https://ui.example.com:8443");
    }

    @Test
    void noneAllowsNoOrigin() {
        assertThat(CorsOrigins.from(Map.of("LIFELINE_CORS_ORIGINS", "none")).origins())
                .isEmpty();
    }

    @Test
    void aWildcardIsRefusedBecauseCredentialsAreAllowed() {
        assertThatThrownBy(() -> CorsOrigins.from(Map.of("LIFELINE_CORS_ORIGINS", "*")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LIFELINE_CORS_ORIGINS cannot allow every origin");
        assertThatThrownBy(() -> CorsOrigins.from(Map.of("CORS_ORIGINS", "https://*.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CORS_ORIGINS cannot allow every origin");
    }

    @Test
    void anythingButSchemeHostAndPortIsRefusedNamingTheKey() {
        for (String bad :
                new String[] {"localhost:3000", "ftp://host", "http://host/canvas", "http://user@host", "null"}) {
            assertThatThrownBy(() -> CorsOrigins.from(Map.of("LIFELINE_CORS_ORIGINS", "http://ok.example.com," + bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("LIFELINE_CORS_ORIGINS must list origins")
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
