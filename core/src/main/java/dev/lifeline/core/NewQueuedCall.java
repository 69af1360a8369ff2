package dev.lifeline.core;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A call to put in a workspace's queue; see {@link QueuedCall} for the fields. */
@SuppressWarnings("ArrayRecordComponent") // a request to store, never compared
public record NewQueuedCall(
        WorkspaceId workspaceId,
        @Nullable String caller,
        String messageId,
        byte[] body,
        Map<String, String> headers,
        int priority) {
    public NewQueuedCall {
        headers = Map.copyOf(headers);
        if (messageId.isBlank()) {
            throw new IllegalArgumentException("a queued call needs its message id");
        }
    }
}
