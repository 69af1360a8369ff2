package dev.lifeline.supervisor;

import dev.lifeline.core.RestartState;
import java.time.Instant;

/** What follows a workspace's death: its next automatic restart, or the crash-loop verdict. */
sealed interface RestartDecision {

    /** Restart at {@code state.nextRestartAt()}, as attempt {@code state.attempts()} of its streak. */
    record Restart(RestartState state) implements RestartDecision {
        Instant at() {
            Instant at = state.nextRestartAt();
            if (at == null) {
                throw new IllegalStateException("a restart decision always has its time");
            }
            return at;
        }

        int attempt() {
            return state.attempts();
        }
    }

    /** Give up: the workspace is failed with {@code reason} and waits for an operator. */
    record CrashLoop(String reason) implements RestartDecision {}
}
