package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.BackoffPolicy;
import dev.lifeline.core.RestartState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The restart policy on plain values: back-off, healthy runs and the crash-loop budget. */
class RestartDecisionsTest {
    private static final double NO_JITTER = 0.5;
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(60);
    private final RestartPolicy policy = new RestartPolicy(
            new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(64), 0.2),
            HEALTHY_RUN,
            Duration.ofMinutes(10),
            5);
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theFirstDeathIsRestartedAtOnceAsTheFirstAttemptOfAStreak() {
        RestartDecision decision = policy.afterDeath(RestartState.NONE, Duration.ofSeconds(5), t0, NO_JITTER);

        assertThat(decision).isEqualTo(new RestartDecision.Restart(new RestartState(1, t0, t0)));
    }

    @Test
    void quickDeathsClimbTheBackoffWithinTheirStreak() {
        RestartState stored = new RestartState(1, t0, t0);
        Instant now = t0.plusSeconds(20);

        RestartDecision decision = policy.afterDeath(stored, Duration.ofSeconds(15), now, NO_JITTER);

        assertThat(decision)
                .isEqualTo(new RestartDecision.Restart(new RestartState(2, t0, now.plus(Duration.ofSeconds(1)))));
    }

    @Test
    void anIncarnationThatNeverCameOnlineDiedQuickly() {
        RestartState stored = new RestartState(3, t0, t0.plusSeconds(2));

        RestartDecision decision = policy.afterDeath(stored, Duration.ZERO, t0.plusSeconds(90), NO_JITTER);

        assertThat(((RestartDecision.Restart) decision).attempt()).isEqualTo(4);
    }

    @Test
    void aFlappingAgentIsJudgedACrashLoopOnceItsBudgetIsSpent() {
        RestartState stored = RestartState.NONE;
        Instant now = t0;
        for (int death = 1; death <= 5; death++) {
            RestartDecision.Restart restart =
                    (RestartDecision.Restart) policy.afterDeath(stored, Duration.ofSeconds(10), now, NO_JITTER);
            assertThat(restart.attempt()).isEqualTo(death);
            stored = restart.state();
            now = restart.at().plusSeconds(10);
        }

        RestartDecision sixth = policy.afterDeath(stored, Duration.ofSeconds(10), now, NO_JITTER);

        assertThat(sixth).isInstanceOfSatisfying(RestartDecision.CrashLoop.class, loop -> assertThat(loop.reason())
                .startsWith("crash loop: the agent died 6 times within")
                .contains("less than 60 s after coming online"));
    }

    @Test
    void anAgentKilledAfterTwoHealthyMinutesEachTimeIsRestartedAtOnceEveryTimeAndNeverFails() {
        RestartState stored = RestartState.NONE;
        Instant now = t0;
        for (int kill = 0; kill < 50; kill++) {
            RestartDecision decision = policy.afterDeath(stored, Duration.ofMinutes(2), now, NO_JITTER);

            assertThat(decision).isEqualTo(new RestartDecision.Restart(new RestartState(1, now, now)));
            stored = ((RestartDecision.Restart) decision).state();
            now = now.plus(Duration.ofMinutes(2)).plusSeconds(1);
        }
    }

    @Test
    void aDeathAfterAHealthyRunStartsTheStreakOverEvenWithTheBudgetNearlySpent() {
        RestartState nearlySpent = new RestartState(5, t0, t0.plusSeconds(16));
        Instant now = t0.plusSeconds(100);

        RestartDecision decision = policy.afterDeath(nearlySpent, HEALTHY_RUN, now, NO_JITTER);

        assertThat(decision).isEqualTo(new RestartDecision.Restart(new RestartState(1, now, now)));
    }

    @Test
    void aQuickDeathAfterTheStreakHasAgedPastStableAfterStartsItOver() {
        RestartState old = new RestartState(5, t0, t0.plusSeconds(16));
        Instant now = t0.plus(Duration.ofMinutes(10));

        RestartDecision decision = policy.afterDeath(old, Duration.ofSeconds(5), now, NO_JITTER);

        assertThat(decision).isEqualTo(new RestartDecision.Restart(new RestartState(1, now, now)));
    }

    @Test
    void theRunOfAnIncarnationIsCountedFromItsFirstOnlineAndIsZeroWhenItNeverCameOnline() {
        assertThat(RestartPolicy.onlineFor(t0, t0.plusSeconds(75))).isEqualTo(Duration.ofSeconds(75));
        assertThat(RestartPolicy.onlineFor(null, t0)).isEqualTo(Duration.ZERO);
        assertThat(RestartPolicy.onlineFor(t0.plusSeconds(1), t0)).isEqualTo(Duration.ZERO);
    }
}
