package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.LoopLeases;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation stops what no live row owns, and only that: not an instance whose start may not
 * have returned yet, here or on another replica (for as long as a start on that backend may take);
 * and it does so on every replica for a backend whose list of instances is each server's own.
 */
class ReconcilerTest {
    private final Wiring wiring = new Wiring();
    private final ScriptedProvisioner vms = wiring.backend;

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void anInstanceWhoseStartHasNotReturnedIsNotStoppedAsAnOrphan() {
        Server server = new Server(new Scripted(vms, HOST_LOCAL, false));
        server.backend.duringStart = server.reconciler::reconcile;
        Workspace w = provisioning();

        server.restarts.provisionFirst(w);

        assertThat(vms.stops()).isEmpty();
        assertThat(vms.starts()).hasSize(1);
        assertThat(wiring.store.find(w.id()).orElseThrow().instanceRef()).isEqualTo(new InstanceRef("vm-1"));
    }

    @Test
    void anUnrecordedProcessOfTheProvisioningGenerationThatNoStartAwaitsIsStoppedAndStartedAgain() {
        Server server = new Server(new Scripted(vms, HOST_LOCAL, false));
        Workspace w = provisioning();
        Instance left = vms.start(spec(w.id(), w.generation())); // by a server that died before recording it

        server.reconciler.reconcile();

        assertThat(vms.stops()).containsExactly(left.ref());
        assertThat(vms.starts()).hasSize(2);
        assertThat(wiring.store.find(w.id()).orElseThrow().instanceRef()).isEqualTo(new InstanceRef("vm-2"));
    }

    @Test
    void onASharedBackendAStartThatMayBeUnderWayOnAnotherReplicaIsNeitherStoppedNorStartedTwice() {
        Server server = new Server(new Scripted(vms, SHARED, false));
        Workspace w = provisioning();
        vms.start(spec(w.id(), w.generation())); // another replica's start, not returned yet

        server.reconciler.reconcile();

        assertThat(vms.stops()).isEmpty();
        assertThat(vms.starts()).hasSize(1);
    }

    @Test
    void onASharedBackendAGenerationNotStartedWithinTheGraceLostItsStarterAndIsStartedAgain() {
        Server server = new Server(new Scripted(vms, SHARED, false));
        Workspace w = provisioning();
        Instance left = vms.start(spec(w.id(), w.generation())); // by a replica that died before recording it
        wiring.clock.advance(Reconciler.START_GRACE.plusSeconds(1));

        server.reconciler.reconcile();

        assertThat(vms.stops()).containsExactly(left.ref());
        assertThat(vms.starts()).hasSize(2);
        assertThat(wiring.store.find(w.id()).orElseThrow().instanceRef()).isEqualTo(new InstanceRef("vm-2"));
    }

    @Test
    void onASharedBackendWhoseStartsTakeLongerAClaimIsLeftToItsStarterForAsLongAsAStartMayTake() {
        Scripted vmsBootedByAControlPlane = new Scripted(vms, SHARED, true);
        vmsBootedByAControlPlane.longestStart = Duration.ofMinutes(2);
        Server server = new Server(vmsBootedByAControlPlane);
        Workspace w = provisioning(); // another replica's provision call is waiting for its VM

        wiring.clock.advance(Duration.ofSeconds(110));
        server.reconciler.reconcile();

        assertThat(vms.starts()).isEmpty();

        wiring.clock.advance(Duration.ofSeconds(11));
        server.reconciler.reconcile();

        assertThat(vms.starts()).hasSize(1);
        assertThat(wiring.store.find(w.id()).orElseThrow().instanceRef()).isEqualTo(new InstanceRef("vm-1"));
    }

    @Test
    void anInstanceOfAnEarlierGenerationIsStoppedWhileTheRowProvisionsTheNext() {
        Workspace w = wiring.running();
        InstanceRef first = w.instance().orElseThrow();
        wiring.lifecycle.apply(Transition.to(
                        w.id(),
                        WorkspaceStatus.PROVISIONING,
                        new WorkspaceEvent.Provisioning(w.id(), w.name(), w.tier(), w.runtime()),
                        wiring.clock.instant())
                .ifGeneration(w.generation())
                .withNewGeneration());

        new Reconciler(wiring.lifecycle, wiring.backends, wiring.restarts, wiring.supervisor, wiring.clock).reconcile();

        assertThat(vms.stops()).containsExactly(first);
    }

    @Test
    void everyReplicaReapsTheOrphansOfAListThatIsItsOwnWhileAnotherRunsTheFleetsReconciliation() {
        Server server = new Server(new Scripted(vms, SHARED, true));
        Workspace w = wiring.running();
        Instance orphan = vms.start(spec(w.id(), w.generation())); // started here; the row names another
        ManualLoopScheduler scheduler = new ManualLoopScheduler();
        PeriodicWork work = server.loops.register(new PeriodicWork(scheduler, new FleetLoopsHeldElsewhere()));
        work.start();

        scheduler.advance(Duration.ofSeconds(60));

        assertThat(vms.stops()).containsExactly(orphan.ref());
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(vms.starts()).hasSize(2);
        work.stop();
    }

    @Test
    void aBackendThatListsTheWholeFleetIsReapedOnlyByTheFleetsReconciliation() {
        Server server = new Server(new Scripted(vms, SHARED, false));
        Workspace w = wiring.running();
        vms.start(spec(w.id(), w.generation()));
        ManualLoopScheduler scheduler = new ManualLoopScheduler();
        PeriodicWork work = server.loops.register(new PeriodicWork(scheduler, new FleetLoopsHeldElsewhere()));
        work.start();

        scheduler.advance(Duration.ofSeconds(60));

        assertThat(vms.stops()).isEmpty();
        work.stop();
    }

    /** A row created in {@code provisioning}, its first generation not started yet. */
    private Workspace provisioning() {
        WorkspaceId id = WorkspaceId.random();
        wiring.store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                wiring.clock.instant());
        return wiring.store.find(id).orElseThrow();
    }

    private static StartSpec spec(WorkspaceId id, long generation) {
        return new StartSpec(id, generation, "w", "echo", 2, "http://127.0.0.1:8080", Map.of());
    }

    private static final boolean HOST_LOCAL = true;
    private static final boolean SHARED = false;

    /** The supervisor's parts of one server, over {@code backend}. */
    private final class Server {
        final Scripted backend;
        final Backends backends;
        final RestartCoordinator restarts;
        final Reconciler reconciler;
        final HealthLoops loops;

        Server(Scripted backend) {
            this.backend = backend;
            this.backends = new Backends(Wiring.SERVER_ID, List.of(backend));
            this.restarts = wiring.restartsOver(backends);
            Supervisor supervisor =
                    new Supervisor(wiring.lifecycle, backends, restarts, SupervisorMetrics.NONE, wiring.clock);
            this.reconciler = new Reconciler(wiring.lifecycle, backends, restarts, supervisor, wiring.clock);
            this.loops = new HealthLoops(wiring.lifecycle, backends, supervisor, restarts, wiring.config, wiring.clock);
        }
    }

    /**
     * The scripted backend, host-local or shared, saying whether its list is this server's own, and
     * running {@code duringStart} once an instance exists and before its start returns.
     */
    private static final class Scripted implements Provisioner {
        private final ScriptedProvisioner scripted;
        private final boolean hostLocal;
        private final boolean perServer;

        @Nullable
        Runnable duringStart;

        Duration longestStart = Duration.ofMinutes(1);

        Scripted(ScriptedProvisioner scripted, boolean hostLocal, boolean perServer) {
            this.scripted = scripted;
            this.hostLocal = hostLocal;
            this.perServer = perServer;
        }

        @Override
        public boolean hostLocal() {
            return hostLocal;
        }

        @Override
        public String name() {
            return scripted.name();
        }

        @Override
        public Instance start(StartSpec spec) {
            Instance started = scripted.start(spec);
            Runnable meanwhile = duringStart;
            if (meanwhile != null) {
                meanwhile.run();
            }
            return started;
        }

        @Override
        public void stop(WorkspaceId id, InstanceRef ref) {
            scripted.stop(id, ref);
        }

        @Override
        public Liveness probe(WorkspaceId id, InstanceRef ref) {
            return scripted.probe(id, ref);
        }

        @Override
        public List<OwnedInstance> listOwned() {
            return scripted.listOwned();
        }

        @Override
        public boolean listsPerServer() {
            return perServer;
        }

        @Override
        public Duration longestStart() {
            return longestStart;
        }
    }

    /** Another replica holds every fleet loop. */
    private static final class FleetLoopsHeldElsewhere implements LoopLeases {
        @Override
        public boolean hold(String loop) {
            return false;
        }

        @Override
        public void close() {}
    }
}
