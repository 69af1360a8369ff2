package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped by SIGTERM (what a service manager or {@code docker stop} sends) writes what it
 * still holds, the audit rows of its last calls among it, before it closes its embedded database.
 */
class GracefulStopTest {
    private static final String ADMIN_TOKEN = "graceful-stop-admin-token";
    private static final int CALLS = 300;

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    @Test
    void theAuditRowsOfTheLastCallsBeforeASigtermAreThereAfterTheRestart() throws Exception {
        assumeTrue(AgentProcesses.readable(), "needs Linux's /proc to find the agent processes it leaves");
        int port = ServerProcess.freePort();
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, ADMIN_TOKEN);
        Path log = logDir.resolve("server.log");
        ServerProcess server = ServerProcess.launch(port, dataDir, ADMIN_TOKEN, log, Map.of());
        String serverId = server.serverId();
        try {
            String id = api.post("/workspaces", Map.of("name", "busy", "runtime", "echo"))
                    .json()
                    .get("id")
                    .asText();
            await().atMost(ServerProcess.BOOT).until(() -> api.get("/workspaces/" + id)
                    .json()
                    .get("status")
                    .asText()
                    .equals("online"));
            for (int i = 0; i < CALLS; i++) {
                assertThat(api.post("/workspaces/" + id + "/a2a", message(i)).status())
                        .isEqualTo(200);
            }
            server.stop(); // SIGTERM straight after the last answer, with its row still queued

            server = ServerProcess.launch(port, dataDir, ADMIN_TOKEN, log, Map.of());

            assertThat(api.get("/workspaces/" + id + "/activity?type=a2a_receive&limit=500")
                            .json())
                    .hasSize(CALLS);
            assertThat(Files.readString(log)).doesNotContain("could not log the A2A call");
            var _ = api.delete("/workspaces/" + id);
        } finally {
            server.stop();
            AgentProcesses.killAll(serverId, Duration.ofSeconds(30));
        }
    }

    private static Map<String, Object> message(int i) {
        return Map.of(
                "jsonrpc",
                "2.0",
                "id",
                i,
                "method",
                "SendMessage",
                "params",
                Map.of(
                        "message",
                        Map.of(
                                "messageId",
                                "m" + i,
                                "role",
                                "ROLE_USER",
                                "parts",
                                java.util.List.of(Map.of("text", "hi")))));
    }
}
