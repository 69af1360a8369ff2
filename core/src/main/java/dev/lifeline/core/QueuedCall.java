package dev.lifeline.core;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An A2A call the agent could not take when it arrived, kept until it is delivered.
 *
 * @param caller the calling workspace's id, a system caller id, or null for the canvas
 * @param messageId the A2A message id; the agent sees the same one at every delivery
 * @param body the request exactly as it is sent to the agent, message id included
 * @param headers the request headers that go with it
 * @param priority higher first; equal priorities go oldest first
 * @param attempts how many times a drainer has claimed it
 * @param claimedUntil when the current claim's lease ends (only while {@code delivering})
 * @param lastError why the last attempt did not deliver it, or why it failed or was dropped
 * @param replyStatus the agent's HTTP status, once delivered
 * @param replyBody the agent's answer (cut to a bound), once delivered
 */
@SuppressWarnings("ArrayRecordComponent") // a stored request, sent as it is, never compared
public record QueuedCall(
        long id,
        WorkspaceId workspaceId,
        @Nullable String caller,
        String messageId,
        byte[] body,
        Map<String, String> headers,
        int priority,
        QueueState state,
        int attempts,
        Instant enqueuedAt,
        @Nullable Instant claimedUntil,
        @Nullable String lastError,
        @Nullable Integer replyStatus,
        @Nullable String replyBody,
        @Nullable Instant finishedAt) {
    /** The priority of an ordinary call (the reference's TASK). */
    public static final int TASK = 50;

    public QueuedCall {
        headers = Map.copyOf(headers);
    }
}
