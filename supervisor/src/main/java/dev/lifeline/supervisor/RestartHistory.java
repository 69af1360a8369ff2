package dev.lifeline.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * The automatic restarts of one workspace since it was last stable: a pure value, so the back-off
 * decision is a function of (history, now).
 */
record RestartHistory(int attempts, Instant lastRestartAt) {

    static RestartHistory first(Instant now) {
        return new RestartHistory(1, now);
    }

    /** The history after one more restart at {@code now}; a stable stretch starts it over. */
    RestartHistory next(Instant now, Duration stableAfter) {
        if (Duration.between(lastRestartAt, now).compareTo(stableAfter) >= 0) {
            return first(now);
        }
        return new RestartHistory(attempts + 1, now);
    }
}
