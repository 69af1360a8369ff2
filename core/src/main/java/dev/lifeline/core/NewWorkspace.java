package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/** The fields of a workspace at creation; the store fills in status, generation and times. */
public record NewWorkspace(
        WorkspaceId id,
        String name,
        @Nullable String role,
        int tier,
        String runtime,
        String backend,
        WorkspaceStatus status,
        @Nullable String url,
        @Nullable WorkspaceId parentId) {}
