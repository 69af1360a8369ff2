package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and how long they will wait.
 *
 * @param caller the calling workspace, or null for the canvas/operator and for Lifeline itself
 * @param systemCaller Lifeline's own caller id ({@code system:restart-context}, ...), trusted and
 *     exempt from the hierarchy rule; never taken from an HTTP header
 * @param timeoutSeconds the caller's {@code X-Timeout}; 0 means none of its own
 * @param preferredWait how long the caller is willing to wait for a restarting workspace (RFC 7240
 *     {@code Prefer: wait}), or null when it did not say
 */
public record CallOptions(
        @Nullable WorkspaceId caller,
        @Nullable String systemCaller,
        long timeoutSeconds,
        @Nullable Duration preferredWait) {
    /** Caller-id prefixes reserved for callers inside Lifeline. */
    public static final List<String> SYSTEM_PREFIXES = List.of("system:", "webhook:", "test:", "channel:");

    public static final CallOptions CANVAS = new CallOptions(null, null, 0, null);

    public CallOptions {
        if (caller != null && systemCaller != null) {
            throw new IllegalArgumentException("a call comes from a workspace or from Lifeline, not both");
        }
    }

    /** A call from another workspace (or, with null, from the canvas). */
    public static CallOptions from(@Nullable WorkspaceId caller, long timeoutSeconds) {
        return new CallOptions(caller, null, timeoutSeconds, null);
    }

    /** A call made by Lifeline itself under a reserved id, e.g. {@code system:restart-context}. */
    public static CallOptions system(String id, long timeoutSeconds) {
        if (!isSystemId(id)) {
            throw new IllegalArgumentException("system caller ids start with one of " + SYSTEM_PREFIXES);
        }
        return new CallOptions(null, id, timeoutSeconds, null);
    }

    /** The same call from a caller that waits at most {@code wait} for a restarting workspace. */
    public CallOptions withPreferredWait(Duration wait) {
        return new CallOptions(caller, systemCaller, timeoutSeconds, wait);
    }

    /** Whether {@code id} uses a reserved prefix; such ids are refused when they arrive over HTTP. */
    public static boolean isSystemId(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        return SYSTEM_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    /** The caller as recorded in the activity log: a workspace id, a system id, or none (canvas). */
    @Nullable
    String source() {
        return caller != null ? caller.toString() : systemCaller;
    }

    /** Whether the call comes from an agent or from Lifeline (these get the agent-call ceiling). */
    boolean fromAgentOrSystem() {
        return caller != null || systemCaller != null;
    }
}
