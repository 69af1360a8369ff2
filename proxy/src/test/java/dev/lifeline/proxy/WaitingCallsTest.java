package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call that meets a restarting agent waits for its next incarnation and is sent to it once, within
 * bounds the caller and the operator set; a call that may have reached the agent is never sent again.
 */
class WaitingCallsTest {
    private static final byte[] SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}";
    private static final Duration LONG = Duration.ofMinutes(1);

    private final JdbcStore store = Stores.inMemoryH2("waiting" + System.nanoTime());
    private final DirectBus bus = new DirectBus();
    private final Lifecycle lifecycle = new Lifecycle(store, bus);
    private final RawAgent agent = new RawAgent()
            .answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + RESULT.length()
                    + "\r\nConnection: close\r\n\r\n" + RESULT);
    private final List<String> holdCauses = new CopyOnWriteArrayList<>();
    private final List<String> holdResults = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private volatile HealthCheck health = (w, e) -> Verdict.ALIVE;

    WaitingCallsTest() throws IOException {}

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        callers.shutdownNow();
        agent.close();
        store.close();
    }

    @Test
    void aCallToARestartingWorkspaceWaitsAndIsSentOnceToTheNextIncarnation() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.PROVISIONING, null);

        CompletableFuture<ProxyReply> call = call(proxy, id, CallOptions.CANVAS);
        await().until(() -> holdCauses.size() == 1);
        online(id, agent.url());

        assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(RESULT);
            assertThat(r.headers()).containsKey(HeldCall.HELD_HEADER);
        });
        assertThat(agent.requests()).hasSize(1);
        assertThat(holdCauses).containsExactly("restarting");
        assertThat(holdResults).containsExactly("forwarded");
    }

    @Test
    void aCallerThatPrefersNotToWaitGets503RestartingAtOnce() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.OFFLINE, null);

        ProxyReply reply = call(proxy, id, CallOptions.CANVAS.withPreferredWait(Duration.ZERO))
                .get(5, TimeUnit.SECONDS);

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("restarting", true);
            assertThat(r.headers()).containsKey("Retry-After").doesNotContainKey(HeldCall.HELD_HEADER);
        });
        assertThat(holdCauses).isEmpty();
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void aWaitThatOutlivesTheHoldWindowGets503RestartingWithRetryAfter() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(Duration.ofMillis(300), 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.PROVISIONING, null);

        long began = System.nanoTime();
        ProxyReply reply = call(proxy, id, CallOptions.CANVAS).get(5, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("restarting", true);
            assertThat(r.headers().get("Retry-After"))
                    .isEqualTo(String.valueOf(r.body().get("retry_after")));
            // The window counts from the call's arrival; the header, the wait alone, a little less.
            assertThat(Long.parseLong(r.headers().get(HeldCall.HELD_HEADER)))
                    .isPositive()
                    .isLessThanOrEqualTo(tookMs);
        });
        assertThat(holdResults).containsExactly("window");
    }

    @Test
    void aWorkspaceThatFailsWhileCallsWaitReleasesThemAtOnceWithItsFailure() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.PROVISIONING, null);
        List<CompletableFuture<ProxyReply>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(call(proxy, id, CallOptions.CANVAS));
        }
        await().until(() -> holdCauses.size() == 3);

        lifecycle.apply(Transition.to(
                        id, WorkspaceStatus.FAILED, new WorkspaceEvent.ProvisionFailed(id, "crash loop"), Instant.now())
                .withFailure("crash loop"));

        for (CompletableFuture<ProxyReply> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).containsEntry("status", "failed");
                assertThat(r.body().get("error")).asString().contains("crash loop");
            });
        }
        assertThat(holdResults).containsOnly("failed").hasSize(3);
    }

    @Test
    void theCallsBeyondAWorkspacesCapGet503AtOnceAndTheOthersStillArrive() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 2, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.PROVISIONING, null);
        CompletableFuture<ProxyReply> first = call(proxy, id, CallOptions.CANVAS);
        CompletableFuture<ProxyReply> second = call(proxy, id, CallOptions.CANVAS);
        await().until(() -> holdCauses.size() == 2);

        ProxyReply third = call(proxy, id, CallOptions.CANVAS).get(5, TimeUnit.SECONDS);

        assertThat(third).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("restarting", true);
            assertThat(r.headers()).containsKey("Retry-After");
        });
        assertThat(holdResults).containsExactly("capacity");
        online(id, agent.url());
        assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)))
                .allSatisfy(r -> assertThat(r).isInstanceOf(ProxyReply.Relayed.class));
        assertThat(agent.requests()).hasSize(2);
    }

    @Test
    void aRequestWrittenBeforeTheConnectionWasResetIsNeverSentAgain() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        agent.resettingAfterReading();
        WorkspaceId id = workspace(WorkspaceStatus.ONLINE, agent.url());
        health = (w, e) -> {
            restart(w.id(), agent.url()); // a replay would find the next incarnation at once
            return Verdict.DEAD_RESTARTING;
        };

        ProxyReply reply = call(proxy, id, CallOptions.CANVAS).get(10, TimeUnit.SECONDS);

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("restarting", true);
        });
        assertThat(agent.requests()).hasSize(1);
        assertThat(holdCauses).isEmpty();
    }

    @Test
    void aCallRefusedBeforeAByteWasWrittenWaitsForTheNextIncarnation() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.ONLINE, closedPort());
        health = (w, e) -> {
            lifecycle.apply(Transition.to(
                    w.id(), WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(w.id(), e.wire()), Instant.now()));
            return Verdict.DEAD_RESTARTING;
        };

        CompletableFuture<ProxyReply> call = call(proxy, id, CallOptions.CANVAS);
        await().until(() -> holdCauses.size() == 1);
        lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.PROVISIONING,
                        new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                        Instant.now())
                .withNewGeneration());
        online(id, agent.url());

        assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsKey(HeldCall.HELD_HEADER);
        });
        assertThat(holdCauses).containsExactly("refused");
        assertThat(agent.requests()).hasSize(1);
    }

    @Test
    void aCallerThatHangsUpWhileWaitingIsForgottenAndItsCallNeverSent() throws Exception {
        A2aProxy proxy = proxy(new HoldConfig(LONG, 100, 5000));
        WorkspaceId id = workspace(WorkspaceStatus.PROVISIONING, null);
        CompletableFuture<Void> hangUp = new CompletableFuture<>();

        CompletableFuture<ProxyReply> call = CompletableFuture.supplyAsync(
                () -> proxy.forward(id, SEND, Map.of(), CallOptions.CANVAS, () -> hangUp), callers);
        await().until(() -> holdCauses.size() == 1);
        hangUp.complete(null);
        call.get(5, TimeUnit.SECONDS);
        online(id, agent.url());

        assertThat(holdResults).containsExactly("caller_gone");
        assertThat(agent.requests()).isEmpty();
    }

    private A2aProxy proxy(HoldConfig holds) {
        ProxyMetrics metrics = new ProxyMetrics() {
            @Override
            public void answered(String outcome, Duration took) {}

            @Override
            public void held(String cause) {
                holdCauses.add(cause);
            }

            @Override
            public void holdEnded(String result, Duration waited) {
                holdResults.add(result);
            }
        };
        A2aProxy proxy = new A2aProxy(
                store,
                (w, e) -> health.suspect(w, e),
                id -> {},
                bus,
                ProxyConfig.DEFAULTS.withHolds(holds),
                metrics,
                Clock.systemUTC());
        closing.add(proxy);
        return proxy;
    }

    private CompletableFuture<ProxyReply> call(A2aProxy proxy, WorkspaceId id, CallOptions options) {
        return CompletableFuture.supplyAsync(() -> proxy.forward(id, SEND, Map.of(), options), callers);
    }

    private WorkspaceId workspace(WorkspaceStatus status, @Nullable String url) {
        WorkspaceId id = WorkspaceId.random();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", status, url, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                Instant.now());
        return id;
    }

    private void online(WorkspaceId id, String url) {
        lifecycle.apply(
                Transition.to(id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Online(id, url, null, null), Instant.now())
                        .withUrl(url, null));
    }

    /** What the supervisor does to a dead agent: offline, a new generation, online again. */
    private void restart(WorkspaceId id, String url) {
        lifecycle.apply(
                Transition.to(id, WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(id, "reactive"), Instant.now()));
        lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.PROVISIONING,
                        new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                        Instant.now())
                .withNewGeneration());
        online(id, url);
    }

    /** A loopback URL where nothing listens: connecting to it is refused. */
    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }
    }
}
