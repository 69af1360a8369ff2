package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's API refuses, with a 400 naming the field, what it would otherwise accept and then
 * fail on later (or silently reinterpret).
 */
class WorkspaceInputTest {
    @TempDir
    static Path dataDir;

    private static TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> admin(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String external(String name) {
        return server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json()
                .get("id")
                .asText();
    }

    private String error(ApiClient.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("error").asText();
    }

    @Test
    void dataAfterTheJsonOfACreateOrAPatchIsA400AndChangesNothing() throws Exception {
        String id = external("before");

        HttpResponse<String> garbage = admin("POST", "/workspaces", "{\"name\":\"trailing\"} xyz");
        HttpResponse<String> twoObjects = admin("POST", "/workspaces", "{\"name\":\"first\"}{\"name\":\"second\"}");
        HttpResponse<String> patch = admin("PATCH", "/workspaces/" + id, "{\"name\":\"after\"} {\"name\":\"x\"}");

        for (HttpResponse<String> r : java.util.List.of(garbage, twoObjects, patch)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("request body has data after its JSON object");
        }
        assertThat(server.api.get("/workspaces").body()).doesNotContain("trailing", "\"first\"");
        assertThat(server.api.get("/workspaces/" + id).json().get("name").asText())
                .isEqualTo("before");
    }

    @Test
    void aParentIdThatIsNotAnIdIsA400AndTheParentStays() {
        String parent = external("parent");
        String child = server.api
                .post("/workspaces", Map.of("name", "child", "external", true, "parent_id", parent))
                .json()
                .get("id")
                .asText();

        assertThat(error(server.api.patch("/workspaces/" + child, Map.of("parent_id", Map.of()))))
                .startsWith("parent_id ");
        assertThat(server.api
                        .get("/workspaces/" + child)
                        .json()
                        .get("parent_id")
                        .asText())
                .isEqualTo(parent);
    }

    @Test
    void aMissingParentOnCreateIsA400AsOnPatch() {
        String missing = UUID.randomUUID().toString();
        String id = external("orphan");

        String onCreate = error(server.api.post("/workspaces", Map.of("name", "x", "parent_id", missing)));
        String onPatch = error(server.api.patch("/workspaces/" + id, Map.of("parent_id", missing)));

        assertThat(onCreate).isEqualTo(onPatch).isEqualTo("parent workspace not found");
    }

    @Test
    void aStringExternalFlagAndATierOfZeroAreA400() {
        assertThat(error(server.api.post("/workspaces", Map.of("name", "x", "external", "true"))))
                .isEqualTo("external must be true or false");
        assertThat(error(server.api.post("/workspaces", Map.of("name", "x", "tier", 0))))
                .isEqualTo("tier must be a whole number from 1 to 4");
    }

    @Test
    void anUnknownRuntimeIsA400NamingTheRuntimesTheBackendKnows() {
        ApiClient.Reply r =
                server.api.post("/workspaces", Map.of("name", "x", "runtime", "nope", "backend", "process"));

        assertThat(error(r)).isEqualTo("unknown runtime 'nope' for backend 'process'");
        assertThat(r.json().get("hint").asText()).contains("[echo]");
        assertThat(server.api.get("/workspaces").body()).doesNotContain("nope");
    }

    @Test
    void theExternalBackendWithoutTheExternalFlagIsA400NotAWorkspaceStuckProvisioning() {
        assertThat(error(server.api.post("/workspaces", Map.of("name", "stuck", "backend", "external"))))
                .isEqualTo("backend 'external' is only for external workspaces");
        assertThat(server.api.get("/workspaces").body()).doesNotContain("stuck");
    }

    @Test
    void anXTimeoutBeyondThirtyDaysIsA400NotAnOverflow() throws Exception {
        String id = server.api
                .post("/workspaces", Map.of("name", "target", "external", true, "url", "http://127.0.0.1:9"))
                .json()
                .get("id")
                .asText();

        HttpResponse<String> huge =
                admin("POST", "/workspaces/" + id + "/a2a", "{}", "X-Timeout", "9223372036854775807");
        HttpResponse<String> justOver = admin("POST", "/workspaces/" + id + "/a2a", "{}", "X-Timeout", "2592001");

        for (HttpResponse<String> r : java.util.List.of(huge, justOver)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("X-Timeout must be a whole number of seconds from 0 to 2592000");
        }
    }
}
