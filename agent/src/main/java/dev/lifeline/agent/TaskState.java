package dev.lifeline.agent;

import java.util.Arrays;
import java.util.Optional;

/**
 * The task states of A2A, with their spelling in 0.3 and 1.0. This agent moves tasks through
 * submitted, working and completed (or canceled); the others exist so that filters naming them are
 * understood.
 */
enum TaskState {
    SUBMITTED("submitted", false),
    WORKING("working", false),
    COMPLETED("completed", true),
    FAILED("failed", true),
    CANCELED("canceled", true),
    INPUT_REQUIRED("input-required", false),
    REJECTED("rejected", true),
    AUTH_REQUIRED("auth-required", false);

    private static final String PREFIX = "TASK_STATE_";

    private final String legacyName;
    private final boolean terminal;

    TaskState(String legacyName, boolean terminal) {
        this.legacyName = legacyName;
        this.terminal = terminal;
    }

    /** The 0.3 spelling, e.g. {@code completed}. */
    String legacyName() {
        return legacyName;
    }

    /** The 1.0 (ProtoJSON enum) spelling, e.g. {@code TASK_STATE_COMPLETED}. */
    String currentName() {
        return PREFIX + name();
    }

    /** Whether a task in this state is finished for good: it takes no more input and cannot be canceled. */
    boolean terminal() {
        return terminal;
    }

    /** The state with this 1.0 spelling, if there is one ({@code TASK_STATE_UNSPECIFIED} is none). */
    static Optional<TaskState> ofCurrentName(String name) {
        return Arrays.stream(values()).filter(s -> s.currentName().equals(name)).findFirst();
    }
}
