package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request idle timeout (one second here): a body that stalls is answered with a JSON 408 on
 * every route, a head that stalls has its connection closed, and an agent that is slower than the
 * timeout still has its answer delivered.
 */
class StalledRequestTest {
    @TempDir
    static Path dataDir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, Map.of("LIFELINE_REQUEST_IDLE_TIMEOUT_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Answer stallAfter(String partialRequest) {
        try (RawHttp http = RawHttp.connect(server.url())) {
            http.write(partialRequest);
            return http.read();
        }
    }

    private static String postHead(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.ADMIN_TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    }

    @Test
    void aBodyThatStallsOnTheApiIsAJson408() {
        RawHttp.Answer a = stallAfter(postHead("/workspaces") + "{\"name\":");

        assertStalled(a);
    }

    @Test
    void aBodyThatStallsOnTheA2aRouteIsAJson408() {
        RawHttp.Answer a = stallAfter(postHead("/workspaces/" + UUID.randomUUID() + "/a2a") + "{\"jsonrpc\":");

        assertStalled(a);
    }

    @Test
    void headersThatStallAreCutOffAtTheSameTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", URI.create(server.url()).getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));

            // there is no request yet to answer: the connection is closed
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void anAgentAnswerSlowerThanTheIdleTimeoutStillArrives() {
        String id = server.create("slow", "echo", "process");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status(id).equals("online"));

        ApiClient.Reply r = server.send(id, "!hang 3");

        assertThat(r.status()).isEqualTo(200);
        server.api.delete("/workspaces/" + id);
    }

    private static void assertStalled(RawHttp.Answer a) {
        assertThat(a.status()).isEqualTo(408);
        assertThat(a.header("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(a.json().get("error").asText()).startsWith("the request stalled");
        assertThat(a.json().get("hint").asText()).contains("without pausing");
    }
}
