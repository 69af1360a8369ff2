package dev.lifeline.supervisor;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Workspace;

/** What the supervisor counts; the server binds it to Micrometer. */
public interface SupervisorMetrics {

    SupervisorMetrics NONE = new SupervisorMetrics() {};

    /** A backend answered a probe raised by {@code evidence}. */
    default void probed(String backend, Evidence evidence, Liveness answer) {}

    /**
     * Death of {@code workspace} was proven after evidence from {@code layer}, {@code sinceLastSign}
     * after its last heartbeat (or state change): how long the death went unnoticed at most.
     */
    default void detected(Evidence layer, Workspace workspace, java.time.Duration sinceLastSign) {}

    /** An automatic restart was scheduled as attempt {@code attempt} of a streak, after {@code delay}. */
    default void backedOff(int attempt, java.time.Duration delay) {}

    /** One round of the periodic loop {@code loop} (sweep, heartbeat expiry, ...) took {@code took}. */
    default void loopRound(String loop, java.time.Duration took) {}

    /** A restart began; {@code automatic} distinguishes the supervisor's from an operator's. */
    default void restarted(boolean automatic) {}
}
