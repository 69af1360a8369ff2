package dev.lifeline.supervisor;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Workspace;

/** What the supervisor counts; the server binds it to Micrometer. */
public interface SupervisorMetrics {

    SupervisorMetrics NONE = new SupervisorMetrics() {};

    /** A backend answered a probe raised by {@code evidence}. */
    default void probed(String backend, Evidence evidence, Liveness answer) {}

    /** Death of {@code workspace} was proven after evidence from {@code layer}. */
    default void detected(Evidence layer, Workspace workspace) {}

    /** A restart began; {@code automatic} distinguishes the supervisor's from an operator's. */
    default void restarted(boolean automatic) {}
}
