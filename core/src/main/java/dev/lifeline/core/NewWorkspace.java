package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a workspace at creation; the store fills in generation and times.
 *
 * @param budgetLimit the monthly spending ceiling in cents; null means unlimited
 * @param hibernationIdleMinutes hibernate after this many idle minutes; null means never
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
        @Nullable Integer hibernationIdleMinutes) {

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
