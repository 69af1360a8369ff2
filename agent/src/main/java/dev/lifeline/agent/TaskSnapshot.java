package dev.lifeline.agent;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task this agent created, as last seen: its status, the conversation and the echoed artifact.
 *
 * @param timestamp when the status was last set
 * @param statusMessage the agent message attached to the status, if any
 * @param artifacts the task's output so far
 */
record TaskSnapshot(
        String id,
        String contextId,
        TaskState state,
        Instant timestamp,
        @Nullable ChatMessage statusMessage,
        List<ChatMessage> history,
        List<Artifact> artifacts) {

    TaskSnapshot {
        history = List.copyOf(history);
        artifacts = List.copyOf(artifacts);
    }

    /** A named piece of output with one text part. */
    record Artifact(String artifactId, String name, String text) {}

    /** This task with at most the {@code historyLength} most recent messages of its history. */
    TaskSnapshot withHistoryLimit(int historyLength) {
        int from = Math.max(0, history.size() - historyLength);
        return new TaskSnapshot(
                id, contextId, state, timestamp, statusMessage, history.subList(from, history.size()), artifacts);
    }

    TaskSnapshot withoutArtifacts() {
        return new TaskSnapshot(id, contextId, state, timestamp, statusMessage, history, List.of());
    }

    /** This task moved to {@code next} at {@code now}, with no status message. */
    TaskSnapshot withState(TaskState next, Instant now) {
        return new TaskSnapshot(id, contextId, next, now, null, history, artifacts);
    }
}
