package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent that stops heartbeating while its process lives is probed, found running, and left alone. */
class HungAgentTest {
    @TempDir
    Path dataDir;

    @Test
    void aSilentAgentWhoseProcessLivesGoesThroughTtlAndProbeAndStays() throws Exception {
        try (TestServer server = TestServer.start(
                dataDir, Map.of("LIFELINE_HEARTBEAT_TTL_SECONDS", "2", "LIFELINE_AGENT_HEARTBEAT_SECONDS", "0.5"))) {
            String id = server.create("hung", "echo", "process");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.status(id).equals("online"));
            long pid = DemoCommand.pid(server.api
                    .get("/workspaces/" + id)
                    .json()
                    .get("instance_ref")
                    .asText());

            assertThat(server.send(id, "!silence").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> server.api
                    .get("/metrics")
                    .body()
                    .contains("lifeline_probes_total{answer=\"running\",backend=\"process\",layer=\"heartbeat_ttl\"}"));
            assertThat(server.status(id)).isEqualTo("online");
            assertThat(server.generation(id)).isEqualTo(1);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            HttpResponse<String> slow = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                                    .header("X-Timeout", "1")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            Json.write(DemoCommand.message("!hang 5"))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.body()).contains("\"busy\":true");
            server.api.delete("/workspaces/" + id);
        }
    }
}
