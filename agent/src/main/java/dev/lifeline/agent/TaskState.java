package dev.lifeline.agent;

/** The task states this agent uses, with their spelling in A2A 0.3 and 1.0. */
enum TaskState {
    SUBMITTED("submitted"),
    WORKING("working"),
    COMPLETED("completed");

    private final String legacyName;

    TaskState(String legacyName) {
        this.legacyName = legacyName;
    }

    /** The 0.3 spelling, e.g. {@code completed}. */
    String legacyName() {
        return legacyName;
    }

    /** The 1.0 (ProtoJSON enum) spelling, e.g. {@code TASK_STATE_COMPLETED}. */
    String currentName() {
        return "TASK_STATE_" + name();
    }
}
