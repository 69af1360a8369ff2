package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear JSON answer; nothing works without the right token. */
class ApiTest {
    @TempDir
    static Path dataDir;

    private static TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> raw(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readingMissedEventsNeedsTheIdOfAnEventAsAWholeNumber() {
        for (String after : new String[] {"yesterday", "-1", "1.5", ""}) {
            ApiClient.Reply reply = server.api.get("/events?after=" + after);
            assertThat(reply.status()).as("after=%s", after).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).contains("after");
        }
        assertThat(server.api.get("/events?after=0").status()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        HttpResponse<String> r = raw("GET", "/health", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void theWorkspaceApiRefusesCallersWithoutTheAdminToken() throws Exception {
        HttpResponse<String> missing = raw("GET", "/workspaces", "");
        HttpResponse<String> wrong = raw("GET", "/workspaces", "", "Authorization", "Bearer nope");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("\"error\":\"admin auth required");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("invalid admin auth token");
        assertThat(wrong.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).contains("json"));
    }

    @Test
    void badJsonIsA400ThatSaysWhatToSend() {
        ApiClient.Reply r = new ApiClient(server.url(), TestServer.ADMIN_TOKEN).post("/workspaces", "not an object");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("request body must be a JSON object");
        assertThat(r.json().get("hint").asText()).contains("name");
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        HttpResponse<String> r =
                raw("POST", "/workspaces", "{\"name\":", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid JSON body");
    }

    @Test
    void invalidFieldsAreRejectedByName() {
        assertThat(server.api
                        .post("/workspaces", Map.of("role", "x"))
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("name is required");
        assertThat(server.api.post("/workspaces", Map.of("name", "a|b")).status())
                .isEqualTo(400);
        assertThat(server.api
                        .post("/workspaces", Map.of("name", "a", "tier", 9))
                        .json()
                        .get("error")
                        .asText())
                .contains("tier");
        assertThat(server.api
                        .post("/workspaces", Map.of("name", "a", "backend", "k8s"))
                        .json()
                        .get("error")
                        .asText())
                .contains("unknown backend 'k8s'");
    }

    @Test
    void automaticHibernationIsSetOnCreateChangedByPatchAndValidated() {
        String id = server.api
                .post("/workspaces", Map.of("name", "sleepy", "external", true, "hibernation_idle_minutes", 30))
                .json()
                .get("id")
                .asText();
        assertThat(server.api
                        .get("/workspaces/" + id)
                        .json()
                        .get("hibernation_idle_minutes")
                        .asInt())
                .isEqualTo(30);

        ApiClient.Reply negative = server.api.patch("/workspaces/" + id, Map.of("hibernation_idle_minutes", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("error").asText()).contains("hibernation_idle_minutes");

        server.api.patch("/workspaces/" + id, Map.of("hibernation_idle_minutes", 0));
        assertThat(server.api
                        .get("/workspaces/" + id)
                        .json()
                        .get("hibernation_idle_minutes")
                        .isNull())
                .isTrue();
    }

    @Test
    void aBodyCutShortByTheClientIsA400NotAServerError() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", URI.create(server.url()).getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /workspaces HTTP/1.1\r\nHost: lifeline\r\nAuthorization: Bearer "
                            + TestServer.ADMIN_TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("the request ended before its body was complete");
        }
    }

    @Test
    void unknownWorkspacesAre404AndMalformedIdsAre400() {
        String unknown = UUID.randomUUID().toString();
        assertThat(server.api.get("/workspaces/" + unknown).status()).isEqualTo(404);
        assertThat(server.api
                        .post("/workspaces/" + unknown + "/restart", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(server.api.delete("/workspaces/" + unknown).status()).isEqualTo(404);
        assertThat(server.send(unknown, "hi").status()).isEqualTo(404);
        ApiClient.Reply malformed = server.api.get("/workspaces/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("invalid workspace ID");
    }

    @Test
    void registrationOfAnUnknownWorkspaceIsRefusedNotSelfRegistration() {
        String unknown = UUID.randomUUID().toString();
        ApiClient.Reply r = new ApiClient(server.url(), "whatever")
                .post("/registry/register", Map.of("id", unknown, "url", "http://127.0.0.1:9", "agent_card", Map.of()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(server.api.get("/workspaces/" + unknown).status()).isEqualTo(404);
    }

    @Test
    void registrationWithoutTheWorkspaceTokenIs401() {
        String id = server.create("needs-token", "echo", "process");
        ApiClient.Reply r = new ApiClient(server.url(), "forged")
                .post("/registry/register", Map.of("id", id, "url", "http://127.0.0.1:9", "agent_card", Map.of()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        server.api.delete("/workspaces/" + id);
    }

    @Test
    void anA2aCallWithoutTheAdminTokenOrWithAWrongOneIs401() throws Exception {
        String path = "/workspaces/" + UUID.randomUUID() + "/a2a";

        HttpResponse<String> none = raw("POST", path, "{}");
        HttpResponse<String> wrong = raw("POST", path, "{}", "Authorization", "Bearer not-the-admin-token");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("admin auth required");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("invalid admin auth token").doesNotContain("not-the-admin-token");
    }

    @Test
    void systemCallerIdsAreRefusedFromHttp() throws Exception {
        HttpResponse<String> r = raw(
                "POST",
                "/workspaces/" + UUID.randomUUID() + "/a2a",
                "{}",
                "X-Workspace-ID",
                "system:restart-context",
                "Authorization",
                "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("invalid caller ID");
    }

    @Test
    void unknownEndpointsAnswerJson() throws Exception {
        HttpResponse<String> r = raw("GET", "/nope", "");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"error\"");
        assertThat(r.body()).contains("no such endpoint: GET /nope");
    }
}
