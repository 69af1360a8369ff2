package dev.lifeline.agent;

/** Something that happened to a task, as streamed to its subscribers; each carries the task as it then was. */
sealed interface TaskEvent {

    TaskSnapshot task();

    /** Whether this event ends the task's stream: its status became terminal. */
    default boolean last() {
        return this instanceof StatusChanged && task().state().terminal();
    }

    /** The whole task, as a stream's first event. */
    record Snapshot(TaskSnapshot task) implements TaskEvent {}

    /** The task's status changed. */
    record StatusChanged(TaskSnapshot task) implements TaskEvent {}

    /** One chunk of an artifact arrived; {@code append} adds it to the earlier chunks of the same artifact. */
    record ArtifactChunk(TaskSnapshot task, TaskSnapshot.Artifact chunk, boolean append, boolean lastChunk)
            implements TaskEvent {}
}
