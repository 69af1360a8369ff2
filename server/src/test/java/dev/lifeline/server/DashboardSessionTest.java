package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's sign-in over plain HTTP: the cookie it sets, where that cookie is accepted, and the
 * rules against forged requests ({@link BrowserSessions}).
 */
class DashboardSessionTest {
    private static final String CREATE_EXTERNAL = "{\"name\":\"ext\",\"external\":true}";

    @TempDir
    Path dataDir;

    @TempDir
    Path otherDataDir;

    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signIn(String token, Map<String, String> headers) throws Exception {
        return send("POST", "/session", "{\"token\":\"" + token + "\"}", headers);
    }

    /** The {@code name=value} pair of a fresh session cookie. */
    private String cookie() throws Exception {
        String setCookie = signIn(TestServer.ADMIN_TOKEN, Map.of())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private Map<String, String> dashboard(String cookie) {
        return Map.of("Cookie", cookie, BrowserSessions.CSRF_HEADER, "1", "Origin", server.url());
    }

    @Test
    void signingInWithTheAdminTokenSetsAnHttpOnlyStrictExpiringCookie() throws Exception {
        HttpResponse<String> reply = signIn(TestServer.ADMIN_TOKEN, Map.of());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("\"signed_in\":true", "\"expires_at\"");
        String setCookie = reply.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("lifeline_session=v1.")
                .contains("; Max-Age=43200", "; Path=/", "; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure")
                .doesNotContain(TestServer.ADMIN_TOKEN);
        assertThat(send("GET", "/session", "", Map.of("Cookie", cookie())).body())
                .contains("\"signed_in\":true");
    }

    @Test
    void behindAnHttpsProxyTheCookieIsSecure() throws Exception {
        HttpResponse<String> reply = signIn(TestServer.ADMIN_TOKEN, Map.of("X-Forwarded-Proto", "https"));

        assertThat(reply.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).endsWith("; Secure"));
    }

    @Test
    void aWrongTokenIsRefusedAndSetsNoCookie() throws Exception {
        HttpResponse<String> reply = signIn("not-the-admin-token", Map.of());

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.body()).isEqualTo("{\"error\":\"invalid admin token\"}");
        assertThat(reply.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send("GET", "/session", "", Map.of()).body()).isEqualTo("{\"signed_in\":false}");
    }

    @Test
    void theCookieAloneAuthenticatesTheApiAndTheEventLog() throws Exception {
        String cookie = cookie();

        assertThat(send("GET", "/workspaces", "", Map.of("Cookie", cookie)).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/events", "", Map.of("Cookie", cookie)).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/workspaces", "", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void theCookieAuthenticatesAWorkspacesEventStream() throws Exception {
        String id = server.api
                .post("/workspaces", Json.MAPPER.readTree(CREATE_EXTERNAL))
                .json()
                .get("id")
                .asText();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/events/stream"))
                .header("Cookie", cookie())
                .build();

        HttpResponse<Stream<String>> reply = http.send(request, HttpResponse.BodyHandlers.ofLines());

        assertThat(reply.statusCode()).isEqualTo(200);
        try (Stream<String> lines = reply.body()) {
            assertThat(lines.findFirst()).contains(": ping");
        }
    }

    @Test
    void theCookieOpensTheWebSocketFromTheDashboardsOwnOriginOnly() throws Exception {
        String cookie = cookie();

        WebSocket own = openSocket(cookie, server.url());
        own.sendClose(WebSocket.NORMAL_CLOSURE, "").join();

        assertThat(handshakeStatus(cookie, "http://localhost:3000")).isEqualTo(403);
        assertThat(handshakeStatus("lifeline_session=forged", server.url())).isEqualTo(401);
    }

    @Test
    void aTokenInTheWebSocketUrlDecidesWhenACanvasOnAnotherPortAlsoSendsTheCookie() throws Exception {
        String canvas = "http://localhost:3000";

        WebSocket socket = openSocket(cookie(), canvas, "/ws?token=" + TestServer.ADMIN_TOKEN);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();

        assertThat(handshakeStatus(cookie(), canvas)).isEqualTo(403);
    }

    private WebSocket openSocket(String cookie, String origin) {
        return openSocket(cookie, origin, "/ws");
    }

    private WebSocket openSocket(String cookie, String origin, String path) {
        return http.newWebSocketBuilder()
                .header("Cookie", cookie)
                .header("Origin", origin)
                .buildAsync(URI.create(server.url().replace("http:", "ws:") + path), new WebSocket.Listener() {})
                .join();
    }

    private int handshakeStatus(String cookie, String origin) {
        try {
            openSocket(cookie, origin).abort();
            return 101;
        } catch (CompletionException e) {
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void aRequestThatChangesStateNeedsTheDashboardHeaderBesideTheCookie() throws Exception {
        String cookie = cookie();

        HttpResponse<String> bare = send("POST", "/workspaces", CREATE_EXTERNAL, Map.of("Cookie", cookie));
        HttpResponse<String> fromDashboard = send("POST", "/workspaces", CREATE_EXTERNAL, dashboard(cookie));

        assertThat(bare.statusCode()).isEqualTo(403);
        assertThat(bare.body()).contains("X-Lifeline-Dashboard");
        assertThat(fromDashboard.statusCode()).isEqualTo(201);
        assertThat(server.api.get("/workspaces").json()).hasSize(1);
    }

    @Test
    void aStateChangingRequestFromAnotherOriginOnTheSameHostIsRefused() throws Exception {
        Map<String, String> headers =
                Map.of("Cookie", cookie(), BrowserSessions.CSRF_HEADER, "1", "Origin", "http://127.0.0.1:3000");

        HttpResponse<String> reply = send("POST", "/workspaces", CREATE_EXTERNAL, headers);

        assertThat(reply.statusCode()).isEqualTo(403);
        assertThat(server.api.get("/workspaces").json()).isEmpty();
    }

    @Test
    void aReadFromAnotherOriginOnTheSameHostIsRefusedThoughCorsWouldLetThatOriginSeeTheAnswer() throws Exception {
        server.api.post("/workspaces", Json.MAPPER.readTree(CREATE_EXTERNAL));
        String cookie = cookie();

        HttpResponse<String> byOrigin =
                send("GET", "/workspaces", "", Map.of("Cookie", cookie, "Origin", "http://localhost:3000"));
        HttpResponse<String> byFetchSite =
                send("GET", "/events", "", Map.of("Cookie", cookie, "Sec-Fetch-Site", "same-site"));
        HttpResponse<String> ownPage =
                send("GET", "/workspaces", "", Map.of("Cookie", cookie, "Sec-Fetch-Site", "same-origin"));

        assertThat(byOrigin.statusCode()).isEqualTo(403);
        assertThat(byOrigin.body()).doesNotContain("\"id\"");
        assertThat(byFetchSite.statusCode()).isEqualTo(403);
        assertThat(ownPage.statusCode()).isEqualTo(200);
    }

    @Test
    void theA2aEndpointTakesTheCookieUnderTheSameRules() throws Exception {
        String id = server.api
                .post("/workspaces", Json.MAPPER.readTree(CREATE_EXTERNAL))
                .json()
                .get("id")
                .asText();
        String cookie = cookie();
        String path = "/workspaces/" + id + "/a2a";
        String body = Json.write(DemoCommand.message("hi"));

        assertThat(send("POST", path, body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(send("POST", path, body, Map.of("Cookie", cookie)).statusCode())
                .isEqualTo(403);
        // past authentication: the external agent never registered, so the proxy cannot reach it
        assertThat(send("POST", path, body, dashboard(cookie)).statusCode()).isNotIn(401, 403);
    }

    @Test
    void aTamperedCookieOrOneFromAnotherServerIsRefused() throws Exception {
        String cookie = cookie();
        String tampered = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
        String foreign;
        try (TestServer other = TestServer.start(otherDataDir)) {
            String setCookie = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(other.url() + "/session"))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"token\":\"" + TestServer.ADMIN_TOKEN + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .headers()
                    .firstValue("Set-Cookie")
                    .orElseThrow();
            foreign = setCookie.substring(0, setCookie.indexOf(';'));
        }

        assertThat(send("GET", "/workspaces", "", Map.of("Cookie", tampered)).statusCode())
                .isEqualTo(401);
        assertThat(send("GET", "/workspaces", "", Map.of("Cookie", foreign)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void anExplicitTokenDecidesEvenBesideAValidCookie() throws Exception {
        Map<String, String> headers = Map.of("Cookie", cookie(), "Authorization", "Bearer wrong");

        assertThat(send("GET", "/workspaces", "", headers).statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutClearsTheCookie() throws Exception {
        HttpResponse<String> reply = send("DELETE", "/session", "", Map.of("Cookie", cookie()));

        assertThat(reply.statusCode()).isEqualTo(204);
        assertThat(reply.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).startsWith("lifeline_session=; Max-Age=0"));
    }

    @Test
    void thePageAndEveryAssetItNamesArePublicWithAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = send("GET", "/", "", Map.of());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .contains(DashboardRoutes.CONTENT_SECURITY_POLICY);
        assertThat(page.body()).doesNotContain("${");
        Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
        int count = 0;
        while (assets.find()) {
            count++;
            assertThat(send("GET", assets.group(1), "", Map.of()).statusCode())
                    .as(assets.group(1))
                    .isEqualTo(200);
        }
        assertThat(count).isEqualTo(4);
    }
}
