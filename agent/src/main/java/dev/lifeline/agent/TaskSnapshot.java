package dev.lifeline.agent;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task this agent created, as last seen: its status, the conversation and the echoed artifact.
 *
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

    TaskSnapshot withHistoryLimit(int historyLength) {
        int from = Math.max(0, history.size() - historyLength);
        return new TaskSnapshot(
                id, contextId, state, timestamp, statusMessage, history.subList(from, history.size()), artifacts);
    }
}
