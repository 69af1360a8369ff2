package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls that fail together on one dying agent share one backend probe: the probe of a burst is
 * held until every call of the burst has reached the agent and lost its connection, so without
 * sharing each call would sit in a probe of its own.
 */
class ProbeBurstTest {
    private static final int CALLS = 20;

    @TempDir
    Path dataDir;

    private final AtomicInteger dropped = new AtomicInteger();
    private ServerSocket agent;
    private ScriptedProvisioner scripted;
    private CountingProbes backend;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        agent = new ServerSocket(0, CALLS * 2, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::dropEveryCall);
        String url = "http://127.0.0.1:" + agent.getLocalPort();
        scripted = new ScriptedProvisioner("vm", spec -> url);
        backend = new CountingProbes(scripted, () -> dropped.get() >= CALLS);
        server = TestServer.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"), backend);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        agent.close();
    }

    @Test
    void twentyCallsFailingTogetherOnADeadAgentShareOneProbeAndMakeOneRestart() throws Exception {
        String id = online();
        scripted.answerProbesWith(Liveness.STOPPED);
        backend.probes.set(0);

        List<Integer> statuses = burst(id);

        assertThat(statuses).containsOnly(503);
        assertThat(backend.probes.get())
                .as("one probe per burst, and at most a second one for a call whose failure came after it")
                .isLessThanOrEqualTo(2);
        await().until(() -> scripted.starts().size() == 2);
        long offline = server.api.get("/events/" + id).json().findValues("event_type").stream()
                .filter(t -> t.asText().equals("WORKSPACE_OFFLINE"))
                .count();
        assertThat(offline).isEqualTo(1);
    }

    private List<Integer> burst(String id) throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(() -> server.send(id, "hi").status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        return statuses;
    }

    private String online() {
        String id = server.create("dying", "echo", "vm");
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        String token = scripted.lastStart(WorkspaceId.parse(id)).env().get("WORKSPACE_AUTH_TOKEN");
        ApiClient.Reply r = new ApiClient(server.url(), token)
                .post(
                        "/registry/register",
                        Map.of("id", id, "url", "http://127.0.0.1:1", "agent_card", Map.of("name", "dying")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return id;
    }

    /** An agent in the middle of dying: it takes each call's request and closes the connection unanswered. */
    private void dropEveryCall() {
        while (!agent.isClosed()) {
            try (Socket connection = agent.accept();
                    InputStream in = connection.getInputStream()) {
                readHead(in);
                dropped.incrementAndGet();
            } catch (IOException e) {
                // closed, or a caller that went away first
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** The scripted backend, counting probes and holding each until the burst has reached the agent. */
    private static final class CountingProbes implements Provisioner {
        private final ScriptedProvisioner delegate;
        private final BooleanSupplier burstArrived;
        final AtomicInteger probes = new AtomicInteger();

        CountingProbes(ScriptedProvisioner delegate, BooleanSupplier burstArrived) {
            this.delegate = delegate;
            this.burstArrived = burstArrived;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Instance start(StartSpec spec) {
            return delegate.start(spec);
        }

        @Override
        public void stop(WorkspaceId id, InstanceRef ref) {
            delegate.stop(id, ref);
        }

        /** Held until the burst has arrived, or for at most a few seconds on a machine too busy to send it whole. */
        @Override
        public Liveness probe(WorkspaceId id, InstanceRef ref) {
            probes.incrementAndGet();
            try {
                await().atMost(5, TimeUnit.SECONDS).until(burstArrived::getAsBoolean);
            } catch (ConditionTimeoutException e) {
                // the calls still missing come after this probe, as a later burst would
            }
            return delegate.probe(id, ref);
        }

        @Override
        public List<OwnedInstance> listOwned() {
            return delegate.listOwned();
        }
    }
}
