package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP edge guarantees whatever a client sends: no session state, the admin token in the URL
 * only on the event streams, JSON for every error including the HTTP stack's own, sizes checked before
 * reading, and URLs built from the configured platform URL, never from {@code Host}.
 */
class HttpEdgeTest {
    private static final String PLATFORM_URL = "http://lifeline.example:8443";
    private static final String TOKEN = TestServer.ADMIN_TOKEN;

    @TempDir
    static Path dataDir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                dataDir,
                Map.of("LIFELINE_PLATFORM_URL", PLATFORM_URL + "/", "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Answer send(String request) {
        return RawHttp.exchange(server.url(), request);
    }

    private static String get(String path, String... headerLines) {
        return request("GET", path, "", headerLines);
    }

    /** A request on a connection of its own, with {@code Host: 127.0.0.1} unless a header line names another. */
    private static String request(String method, String path, String body, String... headerLines) {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
        if (Arrays.stream(headerLines).noneMatch(l -> l.startsWith("Host:"))) {
            r.append("Host: 127.0.0.1\r\n");
        }
        for (String line : headerLines) {
            r.append(line).append("\r\n");
        }
        return r.append("Content-Length: ")
                .append(body.length())
                .append("\r\n\r\n")
                .append(body)
                .toString();
    }

    private static String externalWorkspace(String name) {
        return server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json()
                .get("id")
                .asText();
    }

    @Test
    void noRequestOfAnyKindGetsASessionCookieOrLeavesASession() {
        String id = externalWorkspace("cookieless");
        List<RawHttp.Answer> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(send(RawHttp.upgrade("/ws")));
            answers.add(send(RawHttp.upgrade("/ws?token=wrong")));
        }
        answers.add(send(RawHttp.upgrade("/ws?token=" + TOKEN)));
        answers.add(send(RawHttp.upgrade("/ws", "Authorization: Bearer " + TOKEN)));
        answers.add(send(get("/health")));
        answers.add(send(get("/workspaces")));
        answers.add(send(get("/workspaces", "Authorization: Bearer " + TOKEN)));
        answers.add(send(get("/workspaces/" + id + "/events/stream", "Authorization: Bearer " + TOKEN)));
        answers.add(send(get("/no/such/route")));
        answers.add(send(request("POST", "/workspaces/" + id + "/a2a", "{}")));
        answers.add(send(request("POST", "/workspaces/" + id + "/a2a", "{}", "Authorization: Bearer " + TOKEN)));

        assertThat(answers).extracting(RawHttp.Answer::status).contains(101, 200, 401, 404);
        assertThat(answers).allSatisfy(a -> assertThat(a.header("Set-Cookie")).isEmpty());
        assertThat(server.server.jetty().getContainedBeans(AbstractSessionManager.class))
                .allSatisfy(
                        sessions -> assertThat(sessions.getSessionsCreated()).isZero());
    }

    @Test
    void aRefusedWebSocketUpgradeIsAJson401() {
        RawHttp.Answer missing = send(RawHttp.upgrade("/ws"));
        RawHttp.Answer wrong = send(RawHttp.upgrade("/ws?token=wrong"));

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(missing.json().get("error").asText()).startsWith("admin auth required");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("invalid admin auth token");
    }

    @Test
    void theTokenInTheQueryStringOpensOnlyTheTwoEventStreams() {
        String id = externalWorkspace("query-token");
        String query = "?token=" + TOKEN;
        List<String> refused = List.of(
                get("/workspaces" + query),
                get("/workspaces/" + id + query),
                request("POST", "/workspaces" + query, "{\"name\":\"x\",\"external\":true}"),
                request("PATCH", "/workspaces/" + id + query, "{\"role\":\"x\"}"),
                request("DELETE", "/workspaces/" + id + query, ""),
                request("POST", "/workspaces/" + id + "/pause" + query, ""),
                get("/events" + query),
                get("/workspaces/" + id + "/.well-known/agent-card.json" + query),
                request("POST", "/workspaces/" + id + "/a2a" + query, Json.write(DemoCommand.message("hi"))));

        assertThat(refused).allSatisfy(r -> {
            RawHttp.Answer a = send(r);
            assertThat(a.status()).as(r).isEqualTo(401);
            assertThat(a.json().get("error").asText()).startsWith("admin auth required");
        });
        assertThat(server.api.get("/workspaces/" + id).status()).isEqualTo(200);
        assertThat(send(get("/workspaces/" + id + "/events/stream" + query)).status())
                .isEqualTo(200);
        assertThat(send(RawHttp.upgrade("/ws" + query)).status()).isEqualTo(101);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsA413BeforeAnyOfItIsSent() {
        String id = externalWorkspace("too-large");
        String head = " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n";
        for (String target : List.of("POST /workspaces/" + id + "/a2a", "POST /workspaces", "PUT /no/such/route")) {
            try (RawHttp http = RawHttp.connect(server.url())) {
                http.write(target + head);

                RawHttp.Answer a = http.read();

                assertThat(a.status()).as(target).isEqualTo(413);
                assertThat(a.json().get("error").asText()).isEqualTo("request body too large");
                assertThat(a.json().get("hint").asText()).contains("1048576 bytes");
            }
        }
    }

    @Test
    void aMalformedRequestLineIsAJson400() {
        RawHttp.Answer a = send("THIS IS NOT HTTP\r\n\r\n");

        assertThat(a.status()).isEqualTo(400);
        assertJson(a, "malformed HTTP request");
    }

    @Test
    void aUriTooLongIsAJson414() {
        RawHttp.Answer a = send(get("/workspaces/" + "a".repeat(10_000)));

        assertThat(a.status()).isEqualTo(414);
        assertJson(a, "request URI too long");
    }

    @Test
    void headersTooLargeAreAJson431() {
        RawHttp.Answer a = send(get("/health", "X-Padding: " + "a".repeat(10_000)));

        assertThat(a.status()).isEqualTo(431);
        assertJson(a, "request headers too large");
    }

    @Test
    void anUnsupportedHttpVersionIsAJson505() {
        RawHttp.Answer a = send("GET /health HTTP/3.7\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(a.status()).isEqualTo(505);
        assertJson(a, "HTTP version not supported");
    }

    @Test
    void anUpgradeToAnUnknownPathIsAJson404() {
        RawHttp.Answer a = send(RawHttp.upgrade("/no/such/socket"));

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").asText()).startsWith("no such endpoint");
    }

    @Test
    void urlsHandedOutUseThePlatformUrlNeverTheHostHeader() {
        String evil = "Host: evil.example";
        String admin = "Authorization: Bearer " + TOKEN;
        RawHttp.Answer created =
                send(request("POST", "/workspaces", "{\"name\":\"hosted\",\"external\":true}", evil, admin));
        JsonNode connection = created.json().get("connection");
        String id = created.json().get("id").asText();
        new ApiClient(server.url(), connection.get("auth_token").asText())
                .post(
                        "/registry/register",
                        Map.of(
                                "id",
                                id,
                                "url",
                                "http://127.0.0.1:9",
                                "agent_card",
                                Map.of("name", "hosted", "url", "http://127.0.0.1:9")));

        RawHttp.Answer card = send(get("/workspaces/" + id + "/.well-known/agent-card.json", evil, admin));

        assertThat(created.status()).isEqualTo(201);
        assertThat(connection.get("platform_url").asText()).isEqualTo(PLATFORM_URL);
        assertThat(connection.get("registry_endpoint").asText()).isEqualTo(PLATFORM_URL + "/registry/register");
        assertThat(connection.get("heartbeat_endpoint").asText()).isEqualTo(PLATFORM_URL + "/registry/heartbeat");
        assertThat(card.status()).isEqualTo(200);
        assertThat(card.json().get("url").asText()).isEqualTo(PLATFORM_URL + "/workspaces/" + id + "/a2a");
        assertThat(created.body() + card.body()).doesNotContain("evil.example");
    }

    private static void assertJson(RawHttp.Answer a, String error) {
        assertThat(a.header("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(a.json().get("error").asText()).isEqualTo(error);
        assertThat(a.json().has("hint")).isTrue();
    }
}
