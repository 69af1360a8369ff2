package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import dev.lifeline.testkit.StubAgent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content coding is between the caller and the agent: Lifeline asks for none of its own, passes the
 * caller's {@code Accept-Encoding} on, and hands back the agent's bytes with its {@code
 * Content-Encoding}, never decompressed.
 */
class ContentEncodingTest {
    private static final byte[] ANSWER =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"compressed\"}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private final byte[] gzipped = gzip(ANSWER);
    private final StubAgent agent = StubAgent.start().answering(this::answer);
    private ScriptedProvisioner backend;
    private TestServer server;

    @BeforeEach
    void start() {
        String url = agent.url();
        backend = new ScriptedProvisioner("vm", spec -> url);
        server = TestServer.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"), backend);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    /** Compressed when the request asks for gzip, else plain. */
    private StubAgent.Answer answer(StubAgent.Received request) {
        if (request.header("Accept-Encoding")
                .filter(asked -> asked.contains("gzip"))
                .isEmpty()) {
            return StubAgent.Answer.json(200, ANSWER);
        }
        return new StubAgent.Answer(
                200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), gzipped);
    }

    private List<Optional<String>> acceptEncodings() {
        return agent.received().stream().map(r -> r.header("Accept-Encoding")).toList();
    }

    @Test
    void lifelineAsksTheAgentForNoContentEncodingOfItsOwn() throws Exception {
        String id = online();

        HttpResponse<byte[]> r = call(id, null);

        assertThat(acceptEncodings()).containsExactly(Optional.empty());
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.body()).isEqualTo(ANSWER);
    }

    @Test
    void theCallersAcceptEncodingReachesTheAgentAndItsCompressedBytesComeBackAsTheyAre() throws Exception {
        String id = online();

        HttpResponse<byte[]> r = call(id, "gzip");

        assertThat(acceptEncodings()).containsExactly(Optional.of("gzip"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.body()).isEqualTo(gzipped);
    }

    @Test
    void aCompressedAnswerIsAuditedAsItsEncodingAndSizeNotAsItsBytesReadAsText() throws Exception {
        String id = online();

        call(id, "gzip");

        await().untilAsserted(() -> assertThat(server.api
                        .get("/workspaces/" + id + "/activity")
                        .json()
                        .path(0)
                        .path("response_body")
                        .toString())
                .isEqualTo("{\"content_encoding\":\"gzip\",\"size\":" + gzipped.length + "}"));
    }

    private String online() {
        String id = server.create("zipper", "echo", "vm");
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        String token = backend.lastStart(WorkspaceId.parse(id)).env().get("WORKSPACE_AUTH_TOKEN");
        ApiClient.Reply r = new ApiClient(server.url(), token)
                .post(
                        "/registry/register",
                        Map.of("id", id, "url", "http://127.0.0.1:1", "agent_card", Map.of("name", "zipper")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return id;
    }

    private HttpResponse<byte[]> call(String id, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(DemoCommand.message("hi"))))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
