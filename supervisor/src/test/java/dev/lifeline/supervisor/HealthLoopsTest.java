package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Liveness;
import dev.lifeline.core.LoopLeases;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The periodic layers raise suspicions; only the backend's answer decides. */
class HealthLoopsTest {
    private final Wiring wiring = new Wiring();
    private final HealthLoops loops = new HealthLoops(
            wiring.lifecycle, wiring.backends, wiring.supervisor, wiring.restarts, wiring.config, wiring.clock);

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void aWorkspaceSilentForLongerThanTheTtlIsProbedAndRestartedWhenDead() {
        wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        wiring.clock.advance(wiring.config.heartbeatTtl().plusSeconds(1));
        loops.expireHeartbeats();

        assertThat(wiring.events).startsWith("WORKSPACE_OFFLINE");
        await().until(() -> wiring.backend.starts().size() == 2);
    }

    @Test
    void aSilentAgentWhoseProcessLivesStaysOnline() {
        Workspace w = wiring.running();

        wiring.clock.advance(Duration.ofHours(1));
        loops.expireHeartbeats();

        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.events).isEmpty();
    }

    @Test
    void aHeartbeatWithinTheTtlRaisesNoSuspicion() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        wiring.clock.advance(wiring.config.heartbeatTtl().minusSeconds(1));
        loops.expireHeartbeats();

        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void theSweepFindsADeadInstanceInOneBatchAndRestartsIt() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        loops.sweep();

        assertThat(wiring.events).startsWith("WORKSPACE_OFFLINE");
        await().until(() -> wiring.store.find(w.id()).orElseThrow().generation() == 2);
    }

    @Test
    void theSweepLeavesWorkspacesAloneWhenTheBackendCannotTell() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.unknown("daemon unreachable"));

        loops.sweep();

        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.backend.starts()).hasSize(1);
    }

    @Test
    void aSweepWhereTheBackendFailsForMostOfTheFleetIsTreatedAsAnOutageNotAsDeaths() {
        java.util.List<Workspace> fleet =
                java.util.stream.Stream.generate(wiring::running).limit(6).toList();
        wiring.backend.answerProbesOf(fleet.get(0).id(), Liveness.STOPPED);
        wiring.backend.answerProbesOf(fleet.get(1).id(), Liveness.STOPPED);
        for (Workspace w : fleet.subList(2, 5)) {
            wiring.backend.answerProbesOf(w.id(), Liveness.unknown("daemon timeout"));
        }

        loops.sweep();

        assertThat(wiring.events).doesNotContain("WORKSPACE_OFFLINE");
        assertThat(wiring.backend.starts()).hasSize(6);
    }

    @Test
    void aFewDeathsInAHealthyFleetAreStillActedOn() {
        java.util.List<Workspace> fleet =
                java.util.stream.Stream.generate(wiring::running).limit(6).toList();
        wiring.backend.answerProbesOf(fleet.get(0).id(), Liveness.STOPPED);
        wiring.backend.answerProbesOf(fleet.get(1).id(), Liveness.unknown("one slow answer"));

        loops.sweep();

        assertThat(wiring.events).containsOnlyOnce("WORKSPACE_OFFLINE");
    }

    @Test
    void everyHealthLoopIsRegisteredAtItsPeriodAndHostLocalWorkRunsOnEveryReplica() {
        PeriodicWork work = loops.register(new PeriodicWork(new ManualLoopScheduler(), LoopLeases.alone()));

        assertThat(work.loops())
                .extracting(PeriodicWork.Loop::name, PeriodicWork.Loop::period, PeriodicWork.Loop::fleetWide)
                .containsExactly(
                        tuple("sweep", wiring.config.sweepInterval(), true),
                        tuple("local sweep", wiring.config.sweepInterval(), false),
                        tuple("heartbeat expiry", wiring.config.heartbeatTtl().dividedBy(6), true),
                        tuple("provision timeout", Duration.ofSeconds(30), true),
                        tuple("reconciliation", Duration.ofSeconds(60), true),
                        tuple("local reconciliation", Duration.ofSeconds(60), false),
                        tuple("orphan reaping", Duration.ofSeconds(60), false),
                        tuple("due restarts", HealthLoops.RESTART_DUE_PERIOD, false));
    }

    @Test
    void theStormGuardNeedsAnUnansweredProbeAndAMajority() {
        Liveness s = Liveness.STOPPED;
        Liveness u = Liveness.unknown("x");
        Liveness r = Liveness.RUNNING;
        assertThat(HealthLoops.looksLikeAnOutage(java.util.List.of(s, s, s, s))).isFalse();
        assertThat(HealthLoops.looksLikeAnOutage(java.util.List.of(u, s, s, r))).isTrue();
        assertThat(HealthLoops.looksLikeAnOutage(java.util.List.of(u, s, r, r))).isFalse();
        assertThat(HealthLoops.looksLikeAnOutage(java.util.List.of(u, u, u))).isFalse();
    }
}
