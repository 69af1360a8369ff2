package dev.lifeline.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a workspace's A2A audit trail, stored exactly as given (the caller truncates bodies).
 *
 * @param workspaceId the workspace whose trail holds the entry (for a proxied call, its target)
 * @param activityType what happened, e.g. {@link #A2A_RECEIVE}
 * @param sourceId the calling workspace's id, or null when the canvas (an admin) called
 * @param status {@link #OK} or {@link #ERROR}
 * @param errorDetail why the call failed, when it did
 * @param at when the activity happened
 */
public record Activity(
        WorkspaceId workspaceId,
        String activityType,
        @Nullable String sourceId,
        @Nullable WorkspaceId targetId,
        @Nullable String method,
        String summary,
        @Nullable String requestBody,
        @Nullable String responseBody,
        long durationMs,
        String status,
        @Nullable String errorDetail,
        Instant at) {

    /** An A2A request the proxy delivered to, or failed to deliver to, the workspace. */
    public static final String A2A_RECEIVE = "a2a_receive";

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public Activity {
        if (!OK.equals(status) && !ERROR.equals(status)) {
            throw new IllegalArgumentException("activity status must be \"ok\" or \"error\"");
        }
    }
}
