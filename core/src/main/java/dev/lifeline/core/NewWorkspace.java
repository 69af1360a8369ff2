package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a workspace at creation; the store fills in generation and times.
 *
 * @param budgetLimit the monthly spending ceiling in cents; null means unlimited
 * @param hibernationIdleMinutes hibernate after this many idle minutes; null means never
 * @param position where the operator's canvas first draws the workspace
 */
public record NewWorkspace(
        WorkspaceId id,
        String name,
        @Nullable String role,
        int tier,
        String runtime,
        String backend,
        WorkspaceStatus status,
        @Nullable String url,
        @Nullable WorkspaceId parentId,
        @Nullable Long budgetLimit,
        @Nullable Integer hibernationIdleMinutes,
        CanvasPosition position) {

    /** A workspace drawn at the canvas's origin. */
    public NewWorkspace(
            WorkspaceId id,
            String name,
            @Nullable String role,
            int tier,
            String runtime,
            String backend,
            WorkspaceStatus status,
            @Nullable String url,
            @Nullable WorkspaceId parentId,
            @Nullable Long budgetLimit,
            @Nullable Integer hibernationIdleMinutes) {
        this(
                id,
                name,
                role,
                tier,
                runtime,
                backend,
                status,
                url,
                parentId,
                budgetLimit,
                hibernationIdleMinutes,
                CanvasPosition.ORIGIN);
    }

    /** A workspace that never hibernates by itself. */
    public NewWorkspace(
            WorkspaceId id,
            String name,
            @Nullable String role,
            int tier,
            String runtime,
            String backend,
            WorkspaceStatus status,
            @Nullable String url,
            @Nullable WorkspaceId parentId,
            @Nullable Long budgetLimit) {
        this(id, name, role, tier, runtime, backend, status, url, parentId, budgetLimit, null);
    }
}
