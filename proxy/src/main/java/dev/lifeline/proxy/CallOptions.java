package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and how long they will wait.
 *
 * @param caller the calling workspace, or null for the canvas/operator
 * @param timeoutSeconds the caller's {@code X-Timeout}; 0 means none of its own
 */
public record CallOptions(@Nullable WorkspaceId caller, long timeoutSeconds) {
    public static final CallOptions CANVAS = new CallOptions(null, 0);
}
