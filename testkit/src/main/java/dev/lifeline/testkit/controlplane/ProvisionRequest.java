package dev.lifeline.testkit.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of one {@code POST /cp/workspaces/provision}, decoded; {@code env} holds the agent's secrets. */
public record ProvisionRequest(
        String orgId, String workspaceId, String runtime, int tier, String platformUrl, Map<String, String> env) {

    public ProvisionRequest {
        env = Map.copyOf(env);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decodes a provision body; missing fields read as empty or 0. */
    static ProvisionRequest parse(String body) throws IOException {
        JsonNode node = JSON.readTree(body);
        Map<String, String> env = new LinkedHashMap<>();
        node.path("env")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return new ProvisionRequest(
                node.path("org_id").asText(),
                node.path("workspace_id").asText(),
                node.path("runtime").asText(),
                node.path("tier").asInt(),
                node.path("platform_url").asText(),
                env);
    }

    @Override
    public String toString() {
        return "ProvisionRequest[workspaceId=" + workspaceId + ", runtime=" + runtime + ", env=" + env.keySet() + "]";
    }
}
