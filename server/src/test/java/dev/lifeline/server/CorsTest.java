package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsers on the allowed origins may call every route with credentials: the preflight is answered
 * without a token, and every answer (the A2A endpoint's, Javalin's, errors' and the HTTP stack's)
 * names the exact origin. Other origins get no CORS header and their preflights a 403.
 */
class CorsTest {
    private static final String CANVAS = "http://localhost:3000";
    private static final String OTHER = "https://evil.example.com";

    @TempDir
    static Path dataDir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String request(String method, String path, String body, String... headerLines) {
        StringBuilder r =
                new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            r.append(line).append("\r\n");
        }
        return r.append("Content-Length: " + body.length() + "\r\n\r\n")
                .append(body)
                .toString();
    }

    static String preflight(String path, String origin, String method) {
        return request(
                "OPTIONS",
                path,
                "",
                "Origin: " + origin,
                "Access-Control-Request-Method: " + method,
                "Access-Control-Request-Headers: authorization,content-type");
    }

    /** Every value of a header that may come in several lines, split at commas. */
    static List<String> values(RawHttp.Answer answer, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return answer.head().stream()
                .skip(1)
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                .flatMap(l -> Arrays.stream(l.substring(prefix.length()).split(",")))
                .map(String::trim)
                .toList();
    }

    private static RawHttp.Answer send(String request) {
        return RawHttp.exchange(server.url(), request);
    }

    private static void allowsTheCanvas(RawHttp.Answer answer) {
        assertThat(answer.header("Access-Control-Allow-Origin")).contains(CANVAS);
        assertThat(answer.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(values(answer, "Vary")).contains("Origin");
    }

    @Test
    void aPreflightFromTheCanvasIsAnsweredOnEveryRouteWithoutAToken() {
        String workspace = "/workspaces/" + java.util.UUID.randomUUID();
        for (String path : List.of(
                "/workspaces",
                workspace,
                workspace + "/a2a",
                "/canvas/viewport",
                "/registry/update-card",
                "/nowhere")) {
            RawHttp.Answer answer = send(preflight(path, CANVAS, "PATCH"));

            assertThat(answer.status()).as(path).isEqualTo(204);
            allowsTheCanvas(answer);
            assertThat(values(answer, "Access-Control-Allow-Methods"))
                    .containsExactlyInAnyOrder("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
            assertThat(values(answer, "Access-Control-Allow-Headers"))
                    .contains("Authorization", "Content-Type", "X-Workspace-ID", "X-Timeout", "A2A-Version");
            assertThat(answer.header("Access-Control-Max-Age")).contains("600");
            assertThat(answer.body()).isEmpty();
        }
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWithoutCorsHeaders() {
        RawHttp.Answer answer = send(preflight("/workspaces", OTHER, "GET"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(answer.header("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(answer.json().get("error").asText()).isEqualTo("this origin may not call Lifeline from a browser");
        assertThat(answer.json().get("hint").asText()).contains("LIFELINE_CORS_ORIGINS");
    }

    @Test
    void anAnswerToAnotherOriginCarriesNoCorsHeaderButVariesByOrigin() {
        RawHttp.Answer answer = send(request("GET", "/health", "", "Origin: " + OTHER));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(values(answer, "Vary")).contains("Origin");
    }

    @Test
    void everyKindOfErrorAnswerNamesTheCanvasOrigin() {
        String origin = "Origin: " + CANVAS;
        String a2a = "/workspaces/" + java.util.UUID.randomUUID() + "/a2a";
        Map<String, RawHttp.Answer> answers = new java.util.LinkedHashMap<>();
        answers.put("route 401", send(request("GET", "/workspaces", "", origin)));
        answers.put("A2A endpoint 401", send(request("POST", a2a, "{}", origin)));
        answers.put("no such route", send(request("GET", "/nowhere", "", origin)));
        answers.put(
                "bad input",
                send(request(
                        "PATCH",
                        "/workspaces/not-an-id",
                        "{}",
                        origin,
                        "Authorization: Bearer " + TestServer.ADMIN_TOKEN)));
        answers.put(
                "declared body too large",
                send("POST /workspaces HTTP/1.1\r\nHost: 127.0.0.1\r\n" + origin
                        + "\r\nContent-Length: 2000000\r\n\r\n"));

        assertThat(answers).allSatisfy((what, answer) -> {
            assertThat(answer.status()).as(what).isBetween(400, 499);
            assertThat(answer.header("Content-Type").orElse("")).as(what).startsWith("application/json");
            allowsTheCanvas(answer);
        });
        assertThat(answers.get("declared body too large").status()).isEqualTo(413);
    }

    /**
     * The HTTP stack answers these itself after the handlers; a request it cannot parse at all has no
     * Origin to answer to and gets none.
     */
    @Test
    void theHttpStacksOwnRefusalsNameTheCanvasOriginToo() {
        RawHttp.Answer ambiguousPath = send(request("GET", "/a\\b", "", "Origin: " + CANVAS));
        RawHttp.Answer unknownExpectation =
                send(request("GET", "/health", "", "Origin: " + CANVAS, "Expect: something-else"));

        assertThat(ambiguousPath.status()).isEqualTo(400);
        assertThat(unknownExpectation.status()).isEqualTo(417);
        assertThat(List.of(ambiguousPath, unknownExpectation)).allSatisfy(answer -> {
            assertThat(answer.json().has("error")).isTrue();
            allowsTheCanvas(answer);
        });
    }

    @Test
    void onlyTheConfiguredOriginsAreAllowedAndAWildcardStopsTheStart(@TempDir Path otherDir) {
        try (TestServer custom = TestServer.start(otherDir, Map.of("CORS_ORIGINS", "https://canvas.example.com"))) {
            assertThat(RawHttp.exchange(custom.url(), preflight("/workspaces", "https://canvas.example.com", "GET"))
                            .status())
                    .isEqualTo(204);
            assertThat(RawHttp.exchange(custom.url(), preflight("/workspaces", CANVAS, "GET"))
                            .status())
                    .isEqualTo(403);
        }
        Map<String, String> env = new HashMap<>(
                Map.of("LIFELINE_PORT", "0", "LIFELINE_DATA_DIR", otherDir.toString(), "LIFELINE_CORS_ORIGINS", "*"));
        assertThatThrownBy(() -> LifelineServer.start(LifelineConfig.from(env), env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LIFELINE_CORS_ORIGINS cannot allow every origin");
        assertThat(Optional.ofNullable(
                        otherDir.resolve("lifeline.mv.db").toFile().listFiles()))
                .isEmpty();
    }
}
