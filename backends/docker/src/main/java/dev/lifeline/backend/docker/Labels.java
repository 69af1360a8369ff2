package dev.lifeline.backend.docker;

import dev.lifeline.core.WorkspaceId;
import java.util.Map;

/**
 * The labels on every container and volume this backend creates. The managed label alone marks
 * "Lifeline's"; the server id marks "this server's", so two Lifelines sharing one daemon never
 * reap each other's containers.
 */
final class Labels {
    static final String MANAGED = "dev.lifeline.managed";
    static final String WORKSPACE = "dev.lifeline.workspace-id";
    static final String GENERATION = "dev.lifeline.generation";
    static final String SERVER = "dev.lifeline.server-id";

    private Labels() {}

    static Map<String, String> ofContainer(WorkspaceId id, long generation, String serverId) {
        return Map.of(
                MANAGED, "true", WORKSPACE, id.toString(), GENERATION, Long.toString(generation), SERVER, serverId);
    }

    static Map<String, String> ofVolume(WorkspaceId id, String serverId) {
        return Map.of(MANAGED, "true", WORKSPACE, id.toString(), SERVER, serverId);
    }

    /** Filter for what this server created. */
    static Map<String, String> ownedBy(String serverId) {
        return Map.of(MANAGED, "true", SERVER, serverId);
    }
}
