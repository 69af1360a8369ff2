package dev.lifeline.supervisor;

import dev.lifeline.core.BackoffPolicy;
import dev.lifeline.core.RestartState;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When to restart a workspace that died, as a pure function of its stored restart state.
 *
 * <p>A death counts as <em>quick</em> when its incarnation had been online for less than
 * {@code healthyRun} (or never came online). Quick deaths form a streak: each one climbs the back-off
 * and spends the crash-loop budget, and the death that would need more than {@code crashLoopRestarts}
 * restarts within {@code stableAfter} of the streak's start is a crash loop. A death after a healthy
 * run, or a quick one after the streak has aged past {@code stableAfter}, starts a new streak whose
 * first restart is immediate: an agent that serves well between outside kills is never failed.
 */
record RestartPolicy(BackoffPolicy backoff, Duration healthyRun, Duration stableAfter, int crashLoopRestarts) {

    static RestartPolicy of(SupervisorConfig config) {
        return new RestartPolicy(
                config.backoff(), config.healthyRun(), config.stableAfter(), config.crashLoopRestarts());
    }

    /**
     * The decision for a death at {@code now} of an incarnation that had been online for
     * {@code onlineFor}; {@code random} in [0, 1) spreads the back-off.
     */
    RestartDecision afterDeath(RestartState stored, Duration onlineFor, Instant now, double random) {
        Instant streakStart = stored.streakStartedAt();
        if (onlineFor.compareTo(healthyRun) >= 0
                || stored.attempts() == 0
                || streakStart == null
                || Duration.between(streakStart, now).compareTo(stableAfter) >= 0) {
            return restart(1, now, now, random);
        }
        int attempt = stored.attempts() + 1;
        if (attempt > crashLoopRestarts) {
            return new RestartDecision.CrashLoop("crash loop: the agent died " + attempt + " times within "
                    + Duration.between(streakStart, now).toSeconds() + " s, each time less than "
                    + healthyRun.toSeconds() + " s after coming online (or before); fix it, then restart it");
        }
        return restart(attempt, streakStart, now, random);
    }

    private RestartDecision restart(int attempt, Instant streakStart, Instant now, double random) {
        return new RestartDecision.Restart(
                new RestartState(attempt, streakStart, now.plus(backoff.delayBefore(attempt, random))));
    }

    /** How long an incarnation that came online at {@code onlineSince} (null: never) served until {@code now}. */
    static Duration onlineFor(@Nullable Instant onlineSince, Instant now) {
        if (onlineSince == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(onlineSince, now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
