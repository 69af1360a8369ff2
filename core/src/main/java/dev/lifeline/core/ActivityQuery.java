package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/**
 * Which of one workspace's audit trail to read: optionally only one activity type and one kind of
 * caller, newest first, at most {@code limit} entries.
 *
 * @param type an activity type such as {@link Activity#A2A_RECEIVE}; null for every type
 */
public record ActivityQuery(
        WorkspaceId workspaceId, @Nullable String type, Callers callers, int limit) {

    /** Who made the calls that are read. */
    public enum Callers {
        /** Every caller. */
        ANY,
        /** The operator (the canvas, an admin): calls without a calling workspace. */
        OPERATOR,
        /** Agents: calls made by another workspace (or by Lifeline on a workspace's behalf). */
        WORKSPACES
    }

    /** The newest {@code limit} entries of every type and caller. */
    public static ActivityQuery recent(WorkspaceId workspaceId, int limit) {
        return new ActivityQuery(workspaceId, null, Callers.ANY, limit);
    }
}
