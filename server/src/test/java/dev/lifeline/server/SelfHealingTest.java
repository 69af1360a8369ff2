package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central promise on the embedded defaults: real agent processes, killed with SIGKILL. */
class SelfHealingTest {
    private static final Duration BOOT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stopServer() {
        for (var w : server.api.get("/workspaces").json()) {
            server.api.delete("/workspaces/" + w.get("id").asText());
        }
        server.close();
    }

    @Test
    void anEchoWorkspaceComesOnlineAndEchoesThroughTheProxy() throws Exception {
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            String id = server.create("echo-1", "echo", "process");
            await().atMost(BOOT).until(() -> server.status(id).equals("online"));

            ApiClient.Reply reply = server.send(id, "hello");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).contains("echo: hello");
            await().until(() -> events.lifecycle(id).contains("WORKSPACE_ONLINE"));
            assertThat(events.lifecycle(id)).startsWith("WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE");
        }
    }

    @Test
    void aCallToASigkilledAgentWaitsAndIsAnsweredByItsNextIncarnation() throws Exception {
        String id = server.create("victim", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        long pid = DemoCommand.pid(
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText());

        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().join();
        ApiClient.Reply reply = server.send(id, "are you there?");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("echo: are you there?");
        assertThat(Long.parseLong(reply.header("X-Lifeline-Held-Ms"))).isPositive();
        assertThat(server.generation(id)).isEqualTo(2);
        String metrics = server.api.get("/metrics").body();
        assertThat(metrics).containsPattern("lifeline_a2a_holds_total\\{cause=\"(restarting|refused)\"} 1.0");
        assertThat(metrics).contains("lifeline_a2a_hold_wait_seconds_count{result=\"forwarded\"} 1");
        await().until(() ->
                server.api.get("/workspaces/" + id + "/activity").body().contains("waited"));
    }

    @Test
    void aSigkilledAgentsCallerThatWillNotWaitGets503RestartingAndTheAgentComesBackByItself() throws Exception {
        String id = server.create("victim", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        try (EventRecorder stream = EventRecorder.sse(server, id)) {
            long pid = DemoCommand.pid(server.api
                    .get("/workspaces/" + id)
                    .json()
                    .get("instance_ref")
                    .asText());

            ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
            agent.destroyForcibly();
            agent.onExit().join();
            ApiClient.Reply reply = server.sendAtOnce(id, "are you there?");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("restarting").asBoolean()).isTrue();
            assertThat(reply.header("Retry-After"))
                    .isEqualTo(reply.json().get("retry_after").asText());
            assertThat(reply.header("X-Lifeline-Held-Ms")).isEmpty();
            await().atMost(BOOT).until(() -> stream.lifecycle(id).contains("WORKSPACE_ONLINE"));
            assertThat(stream.lifecycle(id))
                    .containsExactly("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE");
            assertThat(ProcessHandle.of(pid)).isEmpty();
            assertThat(server.send(id, "welcome back").body()).contains("echo: welcome back");
            assertThat(server.generation(id)).isEqualTo(2);
            String metrics = server.api.get("/metrics").body();
            assertThat(metrics).contains("lifeline_restarts_total{cause=\"automatic\"} 1.0");
            assertThat(metrics).contains("lifeline_deaths_detection_seconds_count{layer=");
            assertThat(metrics).contains("lifeline_restarts_backoff_seconds_count 1");
        }
    }

    @Test
    void anAgentThatAnswers502WhileItsProcessLivesIsNeverRecycled() throws Exception {
        String id = server.create("flaky", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            ApiClient.Reply reply = server.send(id, "!status 502");

            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.body()).doesNotContain("restarting");
            assertThat(server.send(id, "still there?").body()).contains("echo: still there?");
            assertThat(server.status(id)).isEqualTo("online");
            assertThat(server.generation(id)).isEqualTo(1);
            assertThat(events.lifecycle(id)).isEmpty();
        }
    }

    @Test
    void aWorkspaceRemovedByTheOperatorIsStoppedAndNotRestarted() {
        String id = server.create("short-lived", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        long pid = DemoCommand.pid(
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText());

        ApiClient.Reply reply = server.api.delete("/workspaces/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("removed");
        // stop() returns once the process is dead; the kernel reaps it a moment later.
        await().until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
        assertThat(server.api.get("/workspaces/" + id).status()).isEqualTo(404);
        assertThat(server.send(id, "hello").status()).isEqualTo(404);
    }

    @Test
    void aRestartedServerAdoptsRunningAgentsInsteadOfStartingNewOnes() {
        String id = server.create("survivor", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        String ref =
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText();

        server.close();
        server = TestServer.start(dataDir);

        assertThat(server.send(id, "still you?").body()).contains("echo: still you?");
        assertThat(server.api
                        .get("/workspaces/" + id)
                        .json()
                        .get("instance_ref")
                        .asText())
                .isEqualTo(ref);
        assertThat(server.generation(id)).isEqualTo(1);
    }
}
