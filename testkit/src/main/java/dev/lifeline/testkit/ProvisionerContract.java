package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Provisioner} keeps, as tests that each backend's test class inherits.
 *
 * <p>A subclass supplies the backend, a start spec its backend can run, and a way to kill an
 * instance behind the backend's back. The contract stops everything it started in its own
 * {@code @AfterEach}, which JUnit runs after the subclass's, so keep the backend usable until then.
 */
public abstract class ProvisionerContract {
    private final List<Started> started = new CopyOnWriteArrayList<>();

    /** The backend under test; may be the same object for every call within one test. */
    protected abstract Provisioner provisioner();

    /** A spec the backend can start: an agent that keeps running until it is stopped or killed. */
    protected abstract StartSpec specFor(WorkspaceId id, long generation);

    /** Kills a running instance as a crash would (SIGKILL, {@code docker kill}), not through the backend. */
    protected abstract void killBehindTheBacksOfLifeline(Instance instance);

    /** Whether the backend pushes deaths to {@link Provisioner#watch}; a backend without push returns false. */
    protected boolean reportsDeaths() {
        return true;
    }

    /**
     * Makes the backend unable to answer about {@code running} (its daemon or control plane cut off)
     * and returns the ref to probe then, which may be one the backend cannot read. Empty skips the case.
     */
    protected Optional<InstanceRef> cutOffBackend(Instance running) {
        return Optional.empty();
    }

    /** Undoes {@link #cutOffBackend}; called after every test. */
    protected void reconnectBackend() {}

    /** How long the backend may take to notice that an instance was killed. */
    protected Duration deathNoticeTimeout() {
        return Duration.ofSeconds(10);
    }

    @Test
    void aStartedInstanceProbesRunning() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);

        assertThat(provisioner().probe(id, instance.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void stopMakesTheInstanceProbeStopped() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);

        provisioner().stop(id, instance.ref());

        assertThat(provisioner().probe(id, instance.ref())).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void stoppingTwiceSucceeds() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);

        provisioner().stop(id, instance.ref());

        assertThatCode(() -> provisioner().stop(id, instance.ref())).doesNotThrowAnyException();
        assertThat(provisioner().probe(id, instance.ref())).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void stoppingAnInstanceThatAlreadyDiedSucceeds() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);
        killBehindTheBacksOfLifeline(instance);
        awaitStopped(id, instance);

        assertThatCode(() -> provisioner().stop(id, instance.ref())).doesNotThrowAnyException();
        assertThat(provisioner().probe(id, instance.ref())).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void probingWhatWasNeverStartedNeverSaysRunningAndNeverThrows() {
        WorkspaceId stranger = WorkspaceId.random();
        InstanceRef invented = new InstanceRef("never-started-" + UUID.randomUUID());

        assertThat(provisioner().probe(stranger, invented))
                .isInstanceOfAny(Liveness.Stopped.class, Liveness.Unknown.class);
    }

    @Test
    void probingAStoppedInstanceUnderAnotherWorkspaceNeverSaysRunning() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);
        provisioner().stop(id, instance.ref());

        assertThat(provisioner().probe(WorkspaceId.random(), instance.ref()))
                .isInstanceOfAny(Liveness.Stopped.class, Liveness.Unknown.class);
    }

    @Test
    void twoGenerationsOfOneWorkspaceGetDistinctRefsThatProbeIndependently() {
        WorkspaceId id = WorkspaceId.random();
        Instance first = start(id, 1);
        Instance second = start(id, 2);
        assertThat(second.ref()).isNotEqualTo(first.ref());

        provisioner().stop(id, first.ref());

        assertThat(provisioner().probe(id, first.ref())).isEqualTo(Liveness.STOPPED);
        assertThat(provisioner().probe(id, second.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void anInstanceKilledBehindTheBacksOfLifelineProbesStopped() {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);

        killBehindTheBacksOfLifeline(instance);

        awaitStopped(id, instance);
    }

    @Test
    void anInstanceKilledBehindTheBacksOfLifelineIsReportedToTheDeathListener() {
        DeathRecorder deaths = new DeathRecorder();
        provisioner().watch(deaths);
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(id, 1);

        killBehindTheBacksOfLifeline(instance);

        if (!reportsDeaths()) {
            // Without push the death is for the sweep to find, and the listener hears nothing.
            awaitStopped(id, instance);
            assertThat(deaths.all()).isEmpty();
            return;
        }
        await().atMost(deathNoticeTimeout()).until(() -> deaths.reported(instance.ref()));
        assertThat(deaths.all())
                .filteredOn(death -> death.ref().equals(instance.ref()))
                .singleElement()
                .extracting(DeathRecorder.Death::id)
                .isEqualTo(id);
    }

    @Test
    void aDeliberatelyStoppedInstanceIsNotReportedAsDead() {
        DeathRecorder deaths = new DeathRecorder();
        provisioner().watch(deaths);
        WorkspaceId stoppedId = WorkspaceId.random();
        Instance stopped = start(stoppedId, 1);
        WorkspaceId killedId = WorkspaceId.random();
        Instance killed = start(killedId, 1);

        provisioner().stop(stoppedId, stopped.ref());
        // A death that happens later is the marker: once it is reported, the stop would have been.
        killBehindTheBacksOfLifeline(killed);

        if (!reportsDeaths()) {
            awaitStopped(killedId, killed);
            assertThat(deaths.all()).isEmpty();
            return;
        }
        await().atMost(deathNoticeTimeout()).until(() -> deaths.reported(killed.ref()));
        assertThat(deaths.reported(stopped.ref())).isFalse();
    }

    @Test
    void listOwnedListsWhatRunsAndNotWhatWasStopped() {
        WorkspaceId runningId = WorkspaceId.random();
        Instance running = start(runningId, 3);
        WorkspaceId stoppedId = WorkspaceId.random();
        Instance stopped = start(stoppedId, 1);
        provisioner().stop(stoppedId, stopped.ref());

        List<OwnedInstance> owned = provisioner().listOwned();

        assertThat(owned).contains(new OwnedInstance(runningId, 3, running.ref()));
        assertThat(owned).noneMatch(instance -> instance.ref().equals(stopped.ref()));
    }

    @Test
    void probeAllAgreesWithProbe() {
        WorkspaceId runningId = WorkspaceId.random();
        WorkspaceId stoppedId = WorkspaceId.random();
        WorkspaceId strangerId = WorkspaceId.random();
        Instance running = start(runningId, 1);
        Instance stopped = start(stoppedId, 1);
        provisioner().stop(stoppedId, stopped.ref());
        List<OwnedInstance> instances = List.of(
                new OwnedInstance(runningId, 1, running.ref()),
                new OwnedInstance(stoppedId, 1, stopped.ref()),
                new OwnedInstance(strangerId, 1, new InstanceRef("never-started-" + UUID.randomUUID())));

        Map<WorkspaceId, Class<?>> one = new LinkedHashMap<>();
        provisioner().probeAll(instances).forEach((id, liveness) -> one.put(id, liveness.getClass()));
        Map<WorkspaceId, Class<?>> each = new LinkedHashMap<>();
        instances.forEach(
                i -> each.put(i.id(), provisioner().probe(i.id(), i.ref()).getClass()));

        assertThat(one).isEqualTo(each).containsEntry(runningId, Liveness.Running.class);
        assertThat(one.get(stoppedId)).isEqualTo(Liveness.Stopped.class);
    }

    @Test
    void aBackendThatCannotAnswerSaysUnknownAndNeverStopped() {
        WorkspaceId id = WorkspaceId.random();
        Instance running = start(id, 1);
        Optional<InstanceRef> unanswerable = cutOffBackend(running);
        assumeTrue(unanswerable.isPresent(), "this backend offers no way to cut it off");

        unanswerable.ifPresent(ref -> {
            assertThat(provisioner().probe(id, ref)).isInstanceOf(Liveness.Unknown.class);
            assertThat(provisioner().probeAll(List.of(new OwnedInstance(id, 1, ref))))
                    .hasEntrySatisfying(id, liveness -> assertThat(liveness).isInstanceOf(Liveness.Unknown.class));
        });
    }

    /** Starts an instance that the contract stops after the test. */
    protected final Instance start(WorkspaceId id, long generation) {
        Instance instance = provisioner().start(specFor(id, generation));
        started.add(new Started(id, instance));
        return instance;
    }

    private void awaitStopped(WorkspaceId id, Instance instance) {
        await().atMost(deathNoticeTimeout())
                .until(() -> provisioner().probe(id, instance.ref()).equals(Liveness.STOPPED));
    }

    @AfterEach
    void stopEverythingStarted() {
        reconnectBackend();
        for (Started each : started) {
            try {
                provisioner().stop(each.id(), each.instance().ref());
            } catch (RuntimeException e) {
                // The test's own assertions matter more; a leak shows up in the backend's listOwned.
            }
        }
        started.clear();
    }

    private record Started(WorkspaceId id, Instance instance) {}
}
