package dev.lifeline.core;

import java.util.Map;

/**
 * Everything a backend needs to start one incarnation of a workspace.
 *
 * @param env the agent environment, including the workspace token; never log it
 */
public record StartSpec(
        WorkspaceId id,
        long generation,
        String name,
        String runtime,
        int tier,
        String platformUrl,
        Map<String, String> env) {

    public StartSpec {
        env = Map.copyOf(env);
    }

    @Override
    public String toString() {
        return "StartSpec[id=" + id + ", generation=" + generation + ", runtime=" + runtime + ", tier=" + tier
                + ", env=" + env.keySet() + "]";
    }
}
