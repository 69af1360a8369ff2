package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.CoalescedHeartbeats;
import dev.lifeline.core.ForwardingStore;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats kept in memory and written in batches: none lost, none read stale, none on the wrong generation. */
class CoalescedHeartbeatsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final JdbcStore database = Stores.inMemoryH2("coalesced" + System.nanoTime());
    private final CoalescedHeartbeats store = new CoalescedHeartbeats(database);

    @AfterEach
    void close() {
        database.close();
    }

    private Workspace online(Instant lastBeat) {
        WorkspaceId id = WorkspaceId.random();
        database.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.AWAITING_AGENT, null, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                T0);
        return database.transition(Transition.to(
                                id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Online(id, null, null, null), lastBeat)
                        .touchingHeartbeat())
                .orElseThrow();
    }

    private static Heartbeat beat(long uptime) {
        return new Heartbeat(0, null, 0, uptime, null, 0);
    }

    @Test
    void aHeartbeatIsReadAtOnceAndWrittenAtTheNextFlush() {
        Workspace w = online(T0);

        store.recordHeartbeat(w.id(), new Heartbeat(0.2, "e", 2, 7, "task", 300), T0.plusSeconds(5));

        assertThat(database.find(w.id()).orElseThrow().uptimeSeconds()).isZero();
        Workspace read = store.find(w.id()).orElseThrow();
        assertThat(read.uptimeSeconds()).isEqualTo(7);
        assertThat(read.lastHeartbeatAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(read.monthlySpend()).isEqualTo(300);
        assertThat(store.list()).extracting(Workspace::uptimeSeconds).containsExactly(7L);

        assertThat(store.flush()).isEqualTo(1);
        assertThat(database.find(w.id()).orElseThrow()).isEqualTo(read);
        assertThat(store.pendingCount()).isZero();
    }

    @Test
    void aHeartbeatOnARowJustReadDoesNotReadItAgain() {
        Workspace w = online(T0);
        AtomicLong reads = new AtomicLong();
        CoalescedHeartbeats counted = new CoalescedHeartbeats(new ForwardingStore(database) {
            @Override
            public Optional<Workspace> find(WorkspaceId id) {
                reads.incrementAndGet();
                return super.find(id);
            }
        });
        Workspace read = counted.find(w.id()).orElseThrow();

        Workspace beaten =
                counted.recordHeartbeat(read, beat(9), T0.plusSeconds(9)).orElseThrow();

        assertThat(reads).hasValue(1);
        assertThat(beaten.uptimeSeconds()).isEqualTo(9);
        assertThat(counted.flush()).isEqualTo(1);
        assertThat(database.find(w.id()).orElseThrow().uptimeSeconds()).isEqualTo(9);
    }

    @Test
    void theExpiryQuerySeesAHeartbeatNotYetFlushed() {
        Workspace silent = online(T0);
        Workspace beating = online(T0);
        store.recordHeartbeat(beating.id(), beat(80), T0.plusSeconds(80));

        List<Workspace> expired = store.silentSince(EnumSet.of(WorkspaceStatus.ONLINE), T0.plusSeconds(60));

        assertThat(expired).extracting(Workspace::id).containsExactly(silent.id());
    }

    @Test
    void noHeartbeatIsLostWhileManyArriveConcurrentlyWithFlushes() throws Exception {
        List<Workspace> fleet = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fleet.add(online(T0));
        }
        Map<WorkspaceId, AtomicLong> sent = new ConcurrentHashMap<>();
        fleet.forEach(w -> sent.put(w.id(), new AtomicLong()));
        AtomicBoolean beating = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(8);
        try (var threads = Executors.newFixedThreadPool(9)) {
            threads.submit(() -> {
                while (beating.get()) {
                    store.flush();
                }
                return null;
            });
            for (int t = 0; t < 8; t++) {
                threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        Workspace w = fleet.get(ThreadLocalRandom.current().nextInt(fleet.size()));
                        long n = sent.get(w.id()).incrementAndGet();
                        store.recordHeartbeat(w.id(), beat(n), T0.plusMillis(n));
                    }
                    done.countDown();
                    return null;
                });
            }
            done.await();
            beating.set(false);
        }
        store.flush();

        for (Workspace w : fleet) {
            long last = sent.get(w.id()).get();
            Workspace stored = database.find(w.id()).orElseThrow();
            assertThat(stored.uptimeSeconds()).as("uptime of %s", w.id()).isEqualTo(last);
            assertThat(stored.lastHeartbeatAt()).isEqualTo(T0.plusMillis(last));
        }
    }

    @Test
    void aSpendReportedBetweenTwoFlushesIsKeptByTheLaterHeartbeat() {
        Workspace w = online(T0);
        store.recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 1, null, 900), T0.plusSeconds(1));
        store.recordHeartbeat(w.id(), beat(2), T0.plusSeconds(2));

        store.flush();

        Workspace stored = database.find(w.id()).orElseThrow();
        assertThat(stored.monthlySpend()).isEqualTo(900);
        assertThat(stored.uptimeSeconds()).isEqualTo(2);
    }

    @Test
    void aHeartbeatOfAnEarlierGenerationIsNotWrittenOnTheNextOne() {
        Workspace w = online(T0);
        store.recordHeartbeat(w.id(), beat(9), T0.plusSeconds(9));
        assertThat(database.transition(Transition.to(
                                w.id(),
                                WorkspaceStatus.PROVISIONING,
                                new WorkspaceEvent.Provisioning(w.id(), "w", 2, "echo"),
                                T0.plusSeconds(10))
                        .withNewGeneration()))
                .isPresent();

        assertThat(store.find(w.id()).orElseThrow().lastHeartbeatAt()).isNull();
        store.flush();

        assertThat(database.find(w.id()).orElseThrow().lastHeartbeatAt()).isNull();
    }

    @Test
    void aHeartbeatOfARemovedWorkspaceIsNotKept() {
        Workspace w = online(T0);
        assertThat(database.transition(Transition.to(
                        w.id(), WorkspaceStatus.REMOVED, new WorkspaceEvent.Removed(w.id()), T0.plusSeconds(1))))
                .isPresent();

        assertThat(store.recordHeartbeat(w.id(), beat(1), T0.plusSeconds(2))).isEmpty();
        assertThat(store.pendingCount()).isZero();
    }
}
