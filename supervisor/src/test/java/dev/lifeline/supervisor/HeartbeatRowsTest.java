package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.ForwardingStore;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.NotifyingStore;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.RowCache;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.FakeClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat that only brings new figures reads no row: the row the last one left stands in,
 * until any other write to it, and a heartbeat that must change state reads the row afresh.
 */
class HeartbeatRowsTest {
    private static final EventBus SILENT = new EventBus() {
        @Override
        public void publish(PublishedEvent event) {}

        @Override
        public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
            return () -> {};
        }
    };

    private final FakeClock clock = FakeClock.atSomeInstant();
    private final JdbcStore database = Stores.inMemoryH2("beats" + System.nanoTime());
    private final AtomicInteger reads = new AtomicInteger();
    private final NotifyingStore store = new NotifyingStore(new ForwardingStore(database) {
        @Override
        public Optional<Workspace> find(WorkspaceId id) {
            reads.incrementAndGet();
            return super.find(id);
        }
    });
    private final AtomicLong nanos = new AtomicLong();
    private final RowCache rows = AgentRegistry.heartbeatRows(nanos::get);
    private final AgentRegistry registry = new AgentRegistry(new Lifecycle(store, SILENT), clock, rows);

    {
        store.onStateChange(rows::forget);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Workspace online() {
        WorkspaceId id = WorkspaceId.random();
        String url = "http://127.0.0.1:9";
        return store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, url, null, null),
                new WorkspaceEvent.Online(id, url, null, null),
                clock.instant());
    }

    private static Heartbeat beat(long uptime) {
        return new Heartbeat(0, null, 0, uptime, null, 0);
    }

    @Test
    void aHeartbeatThatOnlyBringsFiguresReadsNoRow() {
        Workspace w = online();
        TokenGrant grant = new TokenGrant(w.id(), w.generation());
        registry.heartbeat(w.id(), grant, beat(1));
        reads.set(0);

        Workspace beaten = registry.heartbeat(w.id(), grant, beat(2));
        registry.heartbeat(w.id(), grant, beat(3));

        assertThat(reads).hasValue(0);
        assertThat(beaten.uptimeSeconds()).isEqualTo(2);
        assertThat(database.find(w.id()).orElseThrow().uptimeSeconds()).isEqualTo(3);
    }

    @Test
    void anyOtherWriteMakesTheNextHeartbeatReadTheRowAndActOnIt() {
        Workspace w = online();
        TokenGrant grant = new TokenGrant(w.id(), w.generation());
        registry.heartbeat(w.id(), grant, beat(1));
        store.transition(Transition.to(
                w.id(), WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(w.id(), "sweep"), clock.instant()));
        reads.set(0);

        registry.heartbeat(w.id(), grant, beat(2));

        assertThat(reads).hasPositiveValue();
        assertThat(database.find(w.id()).orElseThrow().status())
                .as("the heartbeat brought it back online")
                .isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void aRowIsReadAgainAfterItsLifetime() {
        Workspace w = online();
        TokenGrant grant = new TokenGrant(w.id(), w.generation());
        registry.heartbeat(w.id(), grant, beat(1));
        reads.set(0);

        nanos.addAndGet(
                AgentRegistry.HEARTBEAT_ROW_LIFETIME.plus(Duration.ofSeconds(1)).toNanos());
        registry.heartbeat(w.id(), grant, beat(2));

        assertThat(reads).hasValue(1);
    }
}
