package dev.lifeline.server;

import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.WorkspaceId;
import org.jspecify.annotations.Nullable;

/**
 * Reads the query of {@code GET /workspaces/{id}/activity}: {@code type} (one activity type),
 * {@code source} ({@code canvas}: calls without a calling workspace; {@code agent}: calls by one) and
 * {@code limit} (1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent).
 */
final class ActivityRequests {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private static final String HINT = "e.g. ?type=a2a_receive&source=canvas&limit=50";

    private ActivityRequests() {}

    static ActivityQuery query(WorkspaceId id, @Nullable String type, @Nullable String source, @Nullable String limit) {
        return new ActivityQuery(id, type(type), callers(source), limit(limit));
    }

    private static @Nullable String type(@Nullable String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        if (type.length() > InputLimits.KIND_CHARS || type.isBlank()) {
            throw new InvalidRequestException(
                    "type must be an activity type of at most " + InputLimits.KIND_CHARS + " characters", HINT);
        }
        return type;
    }

    private static ActivityQuery.Callers callers(@Nullable String source) {
        if (source == null || source.isEmpty()) {
            return ActivityQuery.Callers.ANY;
        }
        return switch (source) {
            case "canvas" -> ActivityQuery.Callers.OPERATOR;
            case "agent" -> ActivityQuery.Callers.WORKSPACES;
            default -> throw new InvalidRequestException("source must be 'canvas' or 'agent'", HINT);
        };
    }

    private static int limit(@Nullable String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRequestException("limit must be a whole number from 1 to " + MAX_LIMIT, HINT);
    }
}
