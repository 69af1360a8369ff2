package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewQueuedCall;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.QueueState;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.FakeClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat with room looks at its agent's queue only when calls may wait there, so a fleet's
 * heartbeats cost no queue query; a call queued anywhere is still claimed, here at the next
 * heartbeat, from another replica at the next round.
 */
class QueueDrainerTest {
    private final FakeClock clock = FakeClock.atSomeInstant();
    private final JdbcStore store = Stores.inMemoryH2("drainer" + System.nanoTime());
    private final AtomicInteger claims = new AtomicInteger();
    private final CallQueue queue = counted(store.callQueue());
    private final AgentLoad load = new AgentLoad(clock, Duration.ofSeconds(30));
    private final List<Runnable> started = new ArrayList<>();
    private final A2aProxy proxy = new A2aProxy(
            store,
            (w, e) -> Verdict.ALIVE,
            id -> {},
            new DirectBus(),
            ProxyConfig.DEFAULTS,
            ProxyMetrics.NONE,
            clock,
            queue,
            load,
            A2aProxy.ROW_TTL);
    private final QueueDrainer drainer = new QueueDrainer(
            queue,
            proxy,
            load,
            new Lifecycle(store, new DirectBus()),
            new QueueConfig(
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(2),
                    3,
                    Duration.ofHours(1),
                    Duration.ofSeconds(30),
                    Duration.ZERO),
            clock,
            started::add);
    private final Workspace agent = online();

    @AfterEach
    void close() {
        proxy.close();
        store.close();
    }

    private CallQueue counted(CallQueue real) {
        return (CallQueue) Proxy.newProxyInstance(
                CallQueue.class.getClassLoader(), new Class<?>[] {CallQueue.class}, (p, method, args) -> {
                    if (method.getName().equals("claim")) {
                        claims.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Workspace online() {
        WorkspaceId id = WorkspaceId.random();
        return store.create(
                new NewWorkspace(
                        id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, "http://127.0.0.1:9", null, null),
                new WorkspaceEvent.Online(id, "http://127.0.0.1:9", null, null),
                clock.instant());
    }

    private static byte[] message(String id) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"messageId\":\""
                        + id + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void runStarted() {
        List<Runnable> now = new ArrayList<>(started);
        started.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void aHeartbeatWithRoomLeavesAQueueWhereNothingWaitsAlone() {
        drainer.heartbeat(agent.id(), 0, 1, false);
        runStarted();

        assertThat(claims).hasValue(0);
    }

    @Test
    void aCallQueuedOnThisServerIsClaimedAtTheNextHeartbeat() {
        byte[] body = message("m-1");
        assertThat(new BusyParking(queue, load, clock)
                        .park(agent, CallOptions.CANVAS, Payloads.prepare(body, Map.of()), Map.of()))
                .isPresent();

        drainer.heartbeat(agent.id(), 0, 1, false);
        runStarted();

        assertThat(claims).hasValue(1);
        assertThat(store.callQueue().list(agent.id(), 10))
                .extracting(QueuedCall::state)
                .containsExactly(QueueState.DELIVERING);
    }

    @Test
    void aCallQueuedByAnotherReplicaIsClaimedAtTheNextRoundAndThenOnHeartbeats() {
        store.callQueue()
                .enqueue(
                        new NewQueuedCall(agent.id(), null, "m-2", message("m-2"), Map.of(), QueuedCall.TASK),
                        clock.instant());
        drainer.heartbeat(agent.id(), 0, 2, false);
        runStarted();
        assertThat(claims).as("this server does not know of the call yet").hasValue(0);

        drainer.round();

        assertThat(claims).hasValue(1);
        assertThat(store.callQueue().list(agent.id(), 10))
                .extracting(QueuedCall::state)
                .containsExactly(QueueState.DELIVERING);
    }
}
