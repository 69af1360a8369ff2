package dev.lifeline.backend.docker;

import dev.lifeline.core.WorkspaceId;

/**
 * The names of what a workspace's container uses. The container keeps the reference's short
 * {@code ws-<first 12 of id>} (also its network alias); volumes, which outlive containers and
 * hold data, are named by the full id so two workspaces can never share one.
 */
final class ContainerNames {
    static final int AGENT_PORT = 8000;

    private ContainerNames() {}

    static String container(WorkspaceId id) {
        return "ws-" + id.shortForm();
    }

    static String configVolume(WorkspaceId id) {
        return "ws-" + id + "-configs";
    }

    static String workspaceVolume(WorkspaceId id) {
        return "ws-" + id + "-workspace";
    }
}
