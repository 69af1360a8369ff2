package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent that exits right after it starts is restarted with back-off and ends failed, with the reason. */
class CrashLoopTest {
    @TempDir
    Path dataDir;

    @Test
    void anAgentThatExitsAtOnceEndsFailedAfterItsRestartBudget() {
        try (TestServer server = TestServer.start(
                dataDir,
                Map.of(
                        "LIFELINE_RUNTIME_CRASHER", "/bin/false",
                        "LIFELINE_RESTART_BACKOFF_SECONDS", "0.2",
                        "LIFELINE_CRASH_LOOP_RESTARTS", "3"))) {
            String id = server.create("crasher", "crasher", "process");

            await().atMost(Duration.ofSeconds(60)).until(() -> server.status(id).equals("failed"));

            JsonNode w = server.api.get("/workspaces/" + id).json();
            assertThat(w.get("failure_reason").asText()).startsWith("crash loop");
            assertThat(w.get("generation").asLong()).isEqualTo(4);
            assertThat(w.get("restart_attempts").asInt()).isEqualTo(3);
            List<String> events = new ArrayList<>();
            server.api
                    .get("/events/" + id)
                    .json()
                    .forEach(e -> events.add(0, e.get("event_type").asText()));
            assertThat(events.stream().filter("WORKSPACE_OFFLINE"::equals)).hasSize(4);
            assertThat(events).last().isEqualTo("WORKSPACE_PROVISION_FAILED");
            assertThat(server.api.get("/metrics").body()).contains("lifeline_workspaces{status=\"failed\"} 1.0");
        }
    }

    @Test
    void aCallWaitingForACrashLoopingAgentIsAnsweredWithItsFailureTheMomentItFails() {
        try (TestServer server = TestServer.start(
                dataDir,
                Map.of(
                        "LIFELINE_RUNTIME_CRASHER", "/bin/false",
                        "LIFELINE_RESTART_BACKOFF_SECONDS", "0.2",
                        "LIFELINE_CRASH_LOOP_RESTARTS", "3",
                        "LIFELINE_A2A_HOLD_SECONDS", "300"))) {
            String id = server.create("crasher", "crasher", "process");
            long started = System.nanoTime();

            ApiClient.Reply reply = server.send(id, "anyone there?");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("status").asText()).isEqualTo("failed");
            assertThat(reply.json().get("error").asText()).contains("crash loop");
            assertThat(reply.header("X-Lifeline-Held-Ms")).isNotEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            assertThat(server.api.get("/metrics").body())
                    .contains("lifeline_a2a_hold_wait_seconds_count{result=\"failed\"} 1");
        }
    }
}
