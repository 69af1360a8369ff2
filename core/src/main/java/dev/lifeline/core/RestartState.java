package dev.lifeline.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's automatic-restart bookkeeping, stored with its row so that the crash-loop budget and
 * a pending back-off outlive the server that decided them.
 *
 * @param attempts automatic restarts in the current streak of quick deaths (0: no streak)
 * @param streakStartedAt when the streak's first death was recorded
 * @param nextRestartAt when the pending automatic restart is due; null when none is pending
 */
public record RestartState(
        int attempts,
        @Nullable Instant streakStartedAt,
        @Nullable Instant nextRestartAt) {

    /** No streak and nothing pending: a new workspace, or one an operator restarted by hand. */
    public static final RestartState NONE = new RestartState(0, null, null);

    public RestartState {
        if (attempts < 0) {
            throw new IllegalArgumentException("restart attempts cannot be negative");
        }
    }
}
