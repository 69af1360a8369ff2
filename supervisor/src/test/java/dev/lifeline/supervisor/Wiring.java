package dev.lifeline.supervisor;

import static org.awaitility.Awaitility.await;

import dev.lifeline.core.CoalescedHeartbeats;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.FakeClock;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The supervisor's collaborators wired as in production, over an in-memory store and a scripted backend. */
final class Wiring implements AutoCloseable {
    /** The id of the server these collaborators belong to. */
    static final String SERVER_ID = "this-server";

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<String> events = new CopyOnWriteArrayList<>();
    /** Every event published, with its payload, in order. */
    final List<PublishedEvent> published = new CopyOnWriteArrayList<>();

    final ScriptedProvisioner backend = new ScriptedProvisioner("vm", spec -> "http://127.0.0.1:1");
    /** Starts run on the caller's thread, so a test sees their effect as soon as its call returns. */
    final Executor executor = Runnable::run;

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final String database = "supervisor" + System.nanoTime();
    final JdbcStore store = Stores.inMemoryH2(database);
    private final RecordingBus bus = new RecordingBus(events, published);
    final Lifecycle lifecycle = new Lifecycle(store, bus);
    /** The same store with heartbeats kept in memory until flushed, as the server runs it. */
    final CoalescedHeartbeats coalesced = new CoalescedHeartbeats(store);

    final Backends backends = new Backends(SERVER_ID, List.of(backend));
    final SupervisorConfig config;
    final RestartCoordinator restarts;
    final Supervisor supervisor;
    final WorkspaceService workspaces;
    final AgentRegistry registry;
    /** A registry whose heartbeats go through {@link #coalesced}. */
    final AgentRegistry coalescingRegistry;

    Wiring() {
        this(SupervisorConfig.defaults("http://127.0.0.1:8080"));
    }

    Wiring(SupervisorConfig config) {
        this.config = config;
        this.restarts = restartsOver(backends);
        this.supervisor = new Supervisor(lifecycle, backends, restarts, SupervisorMetrics.NONE, clock);
        this.workspaces = new WorkspaceService(lifecycle, backends, restarts, clock);
        this.registry = new AgentRegistry(lifecycle, clock);
        this.coalescingRegistry = new AgentRegistry(new Lifecycle(coalesced, bus), clock);
    }

    /** A restart coordinator over {@code backends}, as another server on this database would have one. */
    RestartCoordinator restartsOver(Backends backends) {
        return new RestartCoordinator(
                lifecycle, backends, config, clock, executor, scheduler, () -> 0.5, SupervisorMetrics.NONE);
    }

    /** Creates a workspace on the scripted backend and brings it online as its agent would. */
    Workspace running() {
        return running(null);
    }

    /** A running workspace that hibernates after {@code idleMinutes} idle minutes (never when null). */
    Workspace running(@Nullable Integer idleMinutes) {
        WorkspaceId id = WorkspaceId.random();
        workspaces.create(new NewWorkspace(
                id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null, null, idleMinutes));
        await().until(() -> store.find(id).orElseThrow().instanceRef() != null);
        Workspace w = store.find(id).orElseThrow();
        lifecycle.apply(Transition.to(
                        id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Online(id, w.url(), null, null), clock.instant())
                .ifGeneration(w.generation())
                .touchingHeartbeat());
        events.clear();
        published.clear();
        return store.find(id).orElseThrow();
    }

    WorkspaceStatus status(WorkspaceId id) {
        return store.find(id).orElseThrow().status();
    }

    /** Runs {@code sql} on the store's database behind its back, to build rows the store would refuse. */
    void behindTheStore(String sql) throws SQLException {
        String url = "jdbc:h2:mem:" + database + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@link #behindTheStore}, for statements that cannot fail but on a broken test. */
    void behindTheStoreUnchecked(String sql) {
        try {
            behindTheStore(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        store.close();
    }

    private record RecordingBus(List<String> events, List<PublishedEvent> published) implements EventBus {
        @Override
        public void publish(PublishedEvent event) {
            events.add(event.event().type());
            published.add(event);
        }

        @Override
        public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
            return () -> {};
        }
    }
}
