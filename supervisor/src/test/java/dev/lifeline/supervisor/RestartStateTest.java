package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.LoopLeases;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic restarts decided from the restart state in the row, on a fake clock with starts run on
 * the caller's thread: the default back-off (10 s doubling), a 60 s healthy run and a budget of 5.
 */
class RestartStateTest {
    private final Wiring wiring = new Wiring();

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void aPendingBackoffIsRestartedWhenDueByANewCoordinatorOnTheSameDatabase() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        kill(w.id());
        kill(w.id());
        assertThat(row(w.id()).restart().nextRestartAt())
                .isEqualTo(wiring.clock.instant().plusSeconds(10));
        wiring.scheduler.shutdownNow();

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RestartCoordinator afterServerRestart = nextServer(scheduler);
            wiring.clock.advance(Duration.ofSeconds(9));
            afterServerRestart.restartDue();
            assertThat(row(w.id()).status()).isEqualTo(WorkspaceStatus.OFFLINE);

            wiring.clock.advance(Duration.ofSeconds(1));
            afterServerRestart.restartDue();
        } finally {
            scheduler.shutdownNow();
        }

        assertThat(row(w.id()).status()).isEqualTo(WorkspaceStatus.PROVISIONING);
        assertThat(row(w.id()).generation()).isEqualTo(3);
        assertThat(wiring.backend.starts()).hasSize(3);
    }

    @Test
    void aNewServerContinuesTheStreakInsteadOfGrantingAFreshBudget() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        kill(w.id());
        kill(w.id());
        wiring.scheduler.shutdownNow();

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RestartCoordinator restarts = nextServer(scheduler);
            Supervisor supervisor =
                    new Supervisor(wiring.lifecycle, wiring.backends, restarts, SupervisorMetrics.NONE, wiring.clock);
            wiring.clock.advance(Duration.ofSeconds(10));
            restarts.restartDue();

            supervisor.suspect(row(w.id()), Evidence.BACKEND_WATCH);
        } finally {
            scheduler.shutdownNow();
        }

        assertThat(row(w.id()).restartAttempts()).isEqualTo(3);
        assertThat(row(w.id()).restart().nextRestartAt())
                .isEqualTo(wiring.clock.instant().plusSeconds(20));
    }

    @Test
    void theHealthLoopsRestartAWorkspaceWhoseBackoffEndedWithoutATimerOfTheirOwn() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        kill(w.id());
        kill(w.id());
        wiring.scheduler.shutdownNow();
        wiring.clock.advance(Duration.ofSeconds(10));

        HealthLoops loops = new HealthLoops(
                wiring.lifecycle, wiring.backends, wiring.supervisor, wiring.restarts, wiring.config, wiring.clock);
        ManualLoopScheduler scheduler = new ManualLoopScheduler();
        loops.register(new PeriodicWork(scheduler, LoopLeases.alone())).start();

        scheduler.advance(HealthLoops.RESTART_DUE_PERIOD);

        assertThat(row(w.id()).generation()).isEqualTo(3);
    }

    /** The first restart of a streak is immediate, each later one waits out its back-off. */
    @Test
    void aFlappingAgentClimbsTheBackoffAndEndsFailed() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        for (int restart = 1; restart <= 5; restart++) {
            kill(w.id());
            Workspace dead = row(w.id());
            assertThat(dead.restartAttempts()).isEqualTo(restart);
            if (restart > 1) {
                assertThat(dead.status()).isEqualTo(WorkspaceStatus.OFFLINE);
                wiring.clock.advance(
                        Duration.between(wiring.clock.instant(), dead.restart().nextRestartAt()));
                wiring.restarts.restartDue();
            }
            assertThat(row(w.id()).generation()).isEqualTo(restart + 1);
            comeOnline(w.id());
            wiring.clock.advance(Duration.ofSeconds(30));
        }
        kill(w.id());

        assertThat(row(w.id()).status()).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(row(w.id()).failureReason()).startsWith("crash loop");
        assertThat(wiring.backend.starts()).hasSize(6);
    }

    @Test
    void anAgentKilledAfterTwoHealthyMinutesEachTimeIsRestartedAtOnceEveryTimeAndNeverFails() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        for (int kill = 1; kill <= 10; kill++) {
            wiring.clock.advance(Duration.ofMinutes(2));
            kill(w.id());

            Workspace restarted = row(w.id());
            assertThat(restarted.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
            assertThat(restarted.generation()).isEqualTo(kill + 1);
            assertThat(restarted.restartAttempts()).isEqualTo(1);
            comeOnline(w.id());
        }
    }

    @Test
    void theRowCountsTheStreakAndAManualRestartClearsIt() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        kill(w.id());
        kill(w.id());
        assertThat(row(w.id()).restartAttempts()).isEqualTo(2);

        wiring.workspaces.restart(w.id());

        assertThat(row(w.id()).restartAttempts()).isZero();
        assertThat(row(w.id()).restart().nextRestartAt()).isNull();
    }

    /** The coordinator of a server started after this one died, on the same database. */
    private RestartCoordinator nextServer(ScheduledExecutorService scheduler) {
        return new RestartCoordinator(
                wiring.lifecycle,
                wiring.backends,
                wiring.config,
                wiring.clock,
                Runnable::run,
                scheduler,
                () -> 0.5,
                SupervisorMetrics.NONE);
    }

    /** The backend's watch reports the current instance dead. */
    private void kill(WorkspaceId id) {
        wiring.supervisor.suspect(row(id), Evidence.BACKEND_WATCH);
    }

    /** The current generation's agent registers, as {@link Wiring#running} does for the first. */
    private void comeOnline(WorkspaceId id) {
        Workspace w = row(id);
        wiring.lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.ONLINE,
                        new WorkspaceEvent.Online(id, w.url(), null, null),
                        wiring.clock.instant())
                .ifGeneration(w.generation())
                .touchingHeartbeat());
    }

    private Workspace row(WorkspaceId id) {
        return wiring.store.find(id).orElseThrow();
    }
}
