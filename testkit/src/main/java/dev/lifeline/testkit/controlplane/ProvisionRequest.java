package dev.lifeline.testkit.controlplane;

import java.util.Map;

/** The body of one {@code POST /cp/workspaces/provision}, decoded; {@code env} holds the agent's secrets. */
public record ProvisionRequest(
        String orgId, String workspaceId, String runtime, int tier, String platformUrl, Map<String, String> env) {

    public ProvisionRequest {
        env = Map.copyOf(env);
    }

    @Override
    public String toString() {
        return "ProvisionRequest[workspaceId=" + workspaceId + ", runtime=" + runtime + ", env=" + env.keySet() + "]";
    }
}
