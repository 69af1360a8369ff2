package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.Evidence;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.FakeClock;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor acts on proven death only, once, and never on stale evidence. */
class SupervisorTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ScriptedProvisioner backend = new ScriptedProvisioner("vm", spec -> "http://127.0.0.1:1");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private JdbcStore store;
    private Lifecycle lifecycle;
    private Supervisor supervisor;
    private WorkspaceService workspaces;

    @BeforeEach
    void wire() {
        store = Stores.inMemoryH2("supervisor" + System.nanoTime());
        EventBus bus = new EventBus() {
            @Override
            public void publish(PublishedEvent event) {
                events.add(event.event().type());
            }

            @Override
            public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
                return () -> {};
            }
        };
        lifecycle = new Lifecycle(store, bus);
        Backends backends = new Backends(List.of(backend));
        SupervisorConfig config = SupervisorConfig.defaults("http://127.0.0.1:8080");
        RestartCoordinator restarts = new RestartCoordinator(
                lifecycle, backends, config, clock, scheduler, () -> 0.5, SupervisorMetrics.NONE);
        supervisor = new Supervisor(lifecycle, backends, restarts, SupervisorMetrics.NONE, clock);
        workspaces = new WorkspaceService(lifecycle, backends, restarts, clock);
    }

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        store.close();
    }

    private Workspace running() {
        WorkspaceId id = WorkspaceId.random();
        workspaces.create(new NewWorkspace(id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null));
        await().until(() -> store.find(id).orElseThrow().instanceRef() != null);
        Workspace w = store.find(id).orElseThrow();
        lifecycle.apply(dev.lifeline.core.Transition.to(
                        id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Online(id, w.url(), null, null), clock.instant())
                .ifGeneration(w.generation()));
        events.clear();
        return store.find(id).orElseThrow();
    }

    @Test
    void provenDeathMarksOfflineAndStartsTheNextGeneration() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.STOPPED);

        assertThat(supervisor.suspect(w, Evidence.SWEEP)).isEqualTo(Verdict.DEAD_RESTARTING);

        await().until(() -> store.find(w.id()).orElseThrow().generation() == 2);
        assertThat(events).containsExactly("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING");
        assertThat(backend.stops()).containsExactly(w.instanceRef());
    }

    @Test
    void neverRestartsWhenTheBackendCannotAnswer() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.unknown("timeout"));

        for (Evidence e : Evidence.values()) {
            assertThat(supervisor.suspect(w, e)).isEqualTo(Verdict.UNKNOWN);
        }

        assertThat(store.find(w.id()).orElseThrow().status()).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(events).isEmpty();
        assertThat(backend.starts()).hasSize(1);
    }

    @Test
    void aRunningAnswerChangesNothing() {
        Workspace w = running();

        assertThat(supervisor.suspect(w, Evidence.REACTIVE_UPSTREAM)).isEqualTo(Verdict.ALIVE);

        assertThat(events).isEmpty();
    }

    @Test
    void repeatedEvidenceOfOneDeathProducesOneTransitionAndOneRestart() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.STOPPED);

        for (int i = 0; i < 5; i++) {
            supervisor.suspect(w, Evidence.REACTIVE_TRANSPORT);
        }

        await().until(() -> backend.starts().size() == 2);
        assertThat(events.stream().filter("WORKSPACE_OFFLINE"::equals)).hasSize(1);
        assertThat(store.find(w.id()).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void evidenceAboutAnEarlierGenerationIsIgnored() {
        Workspace first = running();
        workspaces.restart(first.id());
        await().until(() -> backend.starts().size() == 2);
        events.clear();
        backend.answerProbesWith(Liveness.STOPPED);

        supervisor.suspect(first, Evidence.REACTIVE_TRANSPORT);

        assertThat(events).doesNotContain("WORKSPACE_OFFLINE");
        assertThat(store.find(first.id()).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void aDeathNoticeForAnInstanceThatWasAlreadyReplacedIsIgnored() {
        Workspace first = running();
        workspaces.restart(first.id());
        await().until(() -> store.find(first.id()).orElseThrow().instanceRef() != null
                && !first.instanceRef()
                        .equals(store.find(first.id()).orElseThrow().instanceRef()));
        events.clear();
        backend.answerProbesWith(Liveness.STOPPED);

        supervisor.onDeath(first.id(), first.instanceRef(), "exit 137");

        assertThat(events).isEmpty();
    }

    @Test
    void aFailedStartMarksTheWorkspaceFailedWithTheReason() {
        backend.failStarts(true);
        WorkspaceId id = WorkspaceId.random();

        workspaces.create(new NewWorkspace(id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null));

        await().until(() -> store.find(id).orElseThrow().status() == WorkspaceStatus.FAILED);
        assertThat(store.find(id).orElseThrow().failureReason()).contains("scripted start failure");
        assertThat(events).contains("WORKSPACE_PROVISION_FAILED");
    }
}
