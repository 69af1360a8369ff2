package dev.lifeline.store;

import dev.lifeline.core.RestartState;
import dev.lifeline.core.Transition;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.Update;

/**
 * The restart bookkeeping a transition writes with its status: the streak and pending restart it
 * carries, the end of the pending restart when a new generation is claimed, and when the current
 * generation first came online (the start of its run, which decides whether its death was quick).
 */
final class RestartColumns {
    private RestartColumns() {}

    static List<String> sets(Transition t) {
        List<String> sets = new ArrayList<>();
        RestartState restart = t.restart();
        if (restart != null) {
            sets.add("restart_attempts = :restartAttempts");
            sets.add("restart_streak_started_at = "
                    + (restart.streakStartedAt() == null ? "NULL" : ":restartStreakStartedAt"));
            sets.add("next_restart_at = " + (restart.nextRestartAt() == null ? "NULL" : ":nextRestartAt"));
        } else if (t.newGeneration()) {
            sets.add("next_restart_at = NULL");
        }
        if (t.newGeneration()) {
            sets.add("online_since = NULL");
        } else if (t.to() == WorkspaceStatus.ONLINE || t.to() == WorkspaceStatus.DEGRADED) {
            sets.add("online_since = COALESCE(online_since, :at)");
        }
        return sets;
    }

    static void bind(Update update, Transition t) {
        RestartState restart = t.restart();
        if (restart == null) {
            return;
        }
        update.bind("restartAttempts", restart.attempts());
        Instant streak = restart.streakStartedAt();
        if (streak != null) {
            update.bind("restartStreakStartedAt", streak);
        }
        Instant next = restart.nextRestartAt();
        if (next != null) {
            update.bind("nextRestartAt", next);
        }
    }
}
