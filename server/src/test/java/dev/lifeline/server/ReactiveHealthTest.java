package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Liveness;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import dev.lifeline.testkit.StubAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reactive layer of the proxy against a backend whose answers the test scripts: the Java
 * equivalents of the reference's post-fix tests (a workspace on a remote-VM-style backend only),
 * plus "can't tell" and concurrency.
 */
class ReactiveHealthTest {
    @TempDir
    Path dataDir;

    private final StubAgent agent = StubAgent.start();
    private ScriptedProvisioner backend;
    private TestServer server;

    @BeforeEach
    void start() {
        String agentUrl = agent.url();
        backend = new ScriptedProvisioner("vm", spec -> agentUrl);
        server = TestServer.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"), backend);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    private String onlineWorkspace() {
        String id = server.create("vm-agent", "echo", "vm");
        await().until(() ->
                backend.starts().stream().anyMatch(s -> s.id().toString().equals(id)));
        register(id);
        return id;
    }

    private void register(String id) {
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        String token = backend.lastStart(WorkspaceId.parse(id)).env().get("WORKSPACE_AUTH_TOKEN");
        ApiClient agentClient = new ApiClient(server.url(), token);
        ApiClient.Reply r = agentClient.post(
                "/registry/register",
                Map.of("id", id, "url", "http://127.0.0.1:1", "agent_card", Map.of("name", "vm")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(server.status(id)).isEqualTo("online");
    }

    @Test
    void upstream502FromADeadAgentGivesAStructured503WithRetryAfter15() {
        String id = onlineWorkspace();
        agent.answering(502, StubAgent.RESULT);
        backend.answerProbesWith(Liveness.STOPPED);

        ApiClient.Reply reply = server.send(id, "hi");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("15");
        assertThat(reply.json().get("restarting").asBoolean()).isTrue();
        await().until(() -> backend.starts().size() == 2);
        assertThat(server.generation(id)).isEqualTo(2);
    }

    @Test
    void upstream502FromALiveAgentIsPropagatedAsIs() {
        String id = onlineWorkspace();
        agent.answering(502, StubAgent.RESULT);
        backend.answerProbesWith(Liveness.RUNNING);

        ApiClient.Reply reply = server.send(id, "hi");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.body()).contains("\"result\"");
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(backend.starts()).hasSize(1);
    }

    @Test
    void aDeadAgentBehindTheOnlyBackendIsMarkedOfflineAndRestarted() throws Exception {
        String id = onlineWorkspace();
        agent.close();
        backend.answerProbesWith(Liveness.STOPPED);
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            ApiClient.Reply reply = server.sendAtOnce(id, "hi");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("restarting").asBoolean()).isTrue();
            await().until(() -> events.lifecycle(id).contains("WORKSPACE_PROVISIONING"));
            assertThat(events.lifecycle(id)).startsWith("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING");
            assertThat(backend.stops()).hasSize(1);
        }
    }

    @Test
    void aLiveAgentThatCannotBeReachedIsNotFlippedOffline() {
        String id = onlineWorkspace();
        agent.close();
        backend.answerProbesWith(Liveness.RUNNING);

        ApiClient.Reply reply = server.send(id, "hi");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.json().get("error").asText()).isEqualTo("failed to reach workspace agent");
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(backend.starts()).hasSize(1);
    }

    @Test
    void neverRestartsWhenTheBackendCannotAnswer() throws Exception {
        String id = onlineWorkspace();
        backend.answerProbesWith(Liveness.unknown("control plane unreachable"));
        agent.answering(503, StubAgent.RESULT);
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            assertThat(server.send(id, "hi").status()).isEqualTo(503);
            agent.close();
            assertThat(server.send(id, "hi").status()).isEqualTo(502);

            assertThat(server.status(id)).isEqualTo("online");
            assertThat(backend.starts()).hasSize(1);
            assertThat(backend.stops()).isEmpty();
            assertThat(events.lifecycle(id)).isEmpty();
        }
    }

    @Test
    void twentyConcurrentCallsToADeadWorkspaceRestartItExactlyOnce() throws Exception {
        String id = onlineWorkspace();
        agent.close();
        backend.answerProbesWith(Liveness.STOPPED);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> server.sendAtOnce(id, "hi").status());
        }

        List<Integer> statuses = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }

        assertThat(statuses).containsOnly(503);
        await().until(() -> backend.starts().size() == 2);
        assertThat(server.generation(id)).isEqualTo(2);
        long offlineEvents = server.api.get("/events/" + id).json().findValues("event_type").stream()
                .filter(t -> t.asText().equals("WORKSPACE_OFFLINE"))
                .count();
        assertThat(offlineEvents).isEqualTo(1);
    }
}
