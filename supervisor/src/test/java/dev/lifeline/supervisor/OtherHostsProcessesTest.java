package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process id names a process only on the host of the server that started it: this server's
 * sweep, reconciliation and heartbeat expiry never probe or stop a process row another server
 * started, and still look after its own.
 */
class OtherHostsProcessesTest {
    private static final String OTHER_SERVER = "other-server";

    private final Wiring wiring = new Wiring();
    private final RecordingProcesses processes = new RecordingProcesses();
    private final Backends backends = new Backends(Wiring.SERVER_ID, List.of(processes));
    private final RestartCoordinator restarts = wiring.restartsOver(backends);
    private final Supervisor supervisor =
            new Supervisor(wiring.lifecycle, backends, restarts, SupervisorMetrics.NONE, wiring.clock);
    private final HealthLoops loops =
            new HealthLoops(wiring.lifecycle, backends, supervisor, restarts, wiring.config, wiring.clock);

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void theSweepProbesOnlyTheProcessesThisServerStarted() {
        Workspace mine = online("4242@1", Wiring.SERVER_ID);
        Workspace theirs = online("4343@1", OTHER_SERVER);

        loops.sweep();

        assertThat(processes.probed).containsExactly(mine.id());
        assertThat(wiring.status(theirs.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void reconciliationNeitherProbesNorStopsNorRestartsAnotherServersProcess() {
        Workspace theirs = online("4343@1", OTHER_SERVER);
        processes.answer = Liveness.STOPPED;

        new Reconciler(wiring.lifecycle, backends, restarts, supervisor, wiring.clock).reconcile();

        assertThat(processes.probed).isEmpty();
        assertThat(processes.stopped).isEmpty();
        assertThat(processes.started).isEmpty();
        assertThat(wiring.status(theirs.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void aSilentProcessOfAnotherServerIsNotProbedHere() {
        Workspace theirs = online("4343@1", OTHER_SERVER);
        processes.answer = Liveness.STOPPED;

        wiring.clock.advance(wiring.config.heartbeatTtl().plus(Duration.ofSeconds(1)));
        loops.expireHeartbeats();

        assertThat(processes.probed).isEmpty();
        assertThat(wiring.status(theirs.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void removingAnotherServersProcessWorkspaceHereNeverSignalsAPidOnThisHost() {
        Workspace theirs = online("4343@1", OTHER_SERVER);

        RemoveOutcome outcome =
                new WorkspaceService(wiring.lifecycle, backends, restarts, wiring.clock).remove(theirs.id(), false);

        assertThat(outcome).isEqualTo(new RemoveOutcome.Removed(1, 0, 0));
        assertThat(processes.stopped).isEmpty();
        assertThat(processes.probed).isEmpty();
        assertThat(wiring.status(theirs.id())).isEqualTo(WorkspaceStatus.REMOVED);
    }

    @Test
    void aProbeOfAnotherServersProcessCannotTell() {
        Workspace theirs = online("4343@1", OTHER_SERVER);

        assertThat(backends.of(theirs).probe(theirs.id(), new InstanceRef("4343@1")))
                .isInstanceOf(Liveness.Unknown.class);
        assertThat(processes.probed).isEmpty();
    }

    @Test
    void aRestartedServerAdoptsItsOwnProcessesAndThoseStartedBeforeServersWereRecorded() {
        Workspace mine = online("4242@1", Wiring.SERVER_ID);
        Workspace unrecorded = online("4444@1", null);
        processes.owned.add(new OwnedInstance(mine.id(), mine.generation(), new InstanceRef("4242@1")));
        processes.owned.add(new OwnedInstance(unrecorded.id(), unrecorded.generation(), new InstanceRef("4444@1")));

        new Reconciler(wiring.lifecycle, backends, restarts, supervisor, wiring.clock).reconcile();

        assertThat(processes.stopped).isEmpty();
        assertThat(processes.started).isEmpty();
        assertThat(wiring.status(mine.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.status(unrecorded.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void aStartedInstanceRecordsTheServerThatStartedIt() {
        WorkspaceId id = WorkspaceId.random();
        wiring.store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.PROVISIONING, null, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                wiring.clock.instant());

        restarts.provisionFirst(wiring.store.find(id).orElseThrow());

        org.awaitility.Awaitility.await()
                .until(() -> wiring.store.find(id).orElseThrow().instanceRef() != null);
        assertThat(wiring.store.find(id).orElseThrow().startedBy()).isEqualTo(Wiring.SERVER_ID);
    }

    /** An online process row whose instance {@code startedBy} started (null: not recorded). */
    private Workspace online(String ref, @Nullable String startedBy) {
        WorkspaceId id = WorkspaceId.random();
        wiring.store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.PROVISIONING, null, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                wiring.clock.instant());
        if (startedBy != null) {
            wiring.store.recordInstance(
                    id, 1, new InstanceRef(ref), "http://127.0.0.1:1", startedBy, wiring.clock.instant());
        } else {
            wiring.behindTheStoreUnchecked(
                    "UPDATE workspaces SET instance_ref = '" + ref + "' WHERE id = '" + id + "'");
        }
        wiring.lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.ONLINE,
                        new WorkspaceEvent.Online(id, "http://127.0.0.1:1", null, null),
                        wiring.clock.instant())
                .touchingHeartbeat());
        return wiring.store.find(id).orElseThrow();
    }

    /** A host-local backend that records every probe, stop and start. */
    private static final class RecordingProcesses implements Provisioner {
        final List<WorkspaceId> probed = new CopyOnWriteArrayList<>();
        final List<InstanceRef> stopped = new CopyOnWriteArrayList<>();
        final List<StartSpec> started = new CopyOnWriteArrayList<>();
        final List<OwnedInstance> owned = new CopyOnWriteArrayList<>();
        volatile Liveness answer = Liveness.RUNNING;

        @Override
        public String name() {
            return "process";
        }

        @Override
        public boolean hostLocal() {
            return true;
        }

        @Override
        public Instance start(StartSpec spec) {
            started.add(spec);
            return new Instance(new InstanceRef("5000@" + started.size()), "http://127.0.0.1:2");
        }

        @Override
        public void stop(WorkspaceId id, InstanceRef ref) {
            stopped.add(ref);
        }

        @Override
        public Liveness probe(WorkspaceId id, InstanceRef ref) {
            probed.add(id);
            return answer;
        }

        @Override
        public List<OwnedInstance> listOwned() {
            return List.copyOf(owned);
        }
    }
}
