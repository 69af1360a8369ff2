package dev.lifeline.backend.docker;

import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.StartSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container's environment by {@link AgentEnvPolicy}: the workspace's own variables first
 * (sorted, so a container's definition does not change with map order), then the platform's, which
 * replace any user variable of the same name. Each name appears once. A container inherits nothing
 * from the server's environment: its image brings its own basics.
 */
final class AgentEnvironment {
    static final String CONFIG_PATH = "/configs";

    private AgentEnvironment() {}

    static List<String> of(StartSpec spec, int tier, String platformUrl, String serverId) {
        Map<String, String> env = AgentEnvPolicy.layered(
                Map.of(), new TreeMap<>(spec.env()), platformVariables(spec, tier, platformUrl, serverId));
        List<String> lines = new ArrayList<>(env.size());
        env.forEach((key, value) -> lines.add(key + "=" + value));
        return lines;
    }

    private static Map<String, String> platformVariables(
            StartSpec spec, int tier, String platformUrl, String serverId) {
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("WORKSPACE_ID", spec.id().toString());
        platform.put("WORKSPACE_CONFIG_PATH", CONFIG_PATH);
        platform.put("PLATFORM_URL", platformUrl);
        platform.put("MOLECULE_URL", platformUrl); // older agents read this name; it always equals PLATFORM_URL
        platform.put("TIER", Integer.toString(tier));
        platform.put("PLUGINS_DIR", "/plugins");
        platform.put("PYTHONPATH", "/app");
        platform.put("PORT", Integer.toString(ContainerNames.AGENT_PORT));
        platform.put("AGENT_HOST", ContainerNames.container(spec.id()));
        platform.put("AGENT_BIND_ADDRESS", "0.0.0.0");
        platform.put("LIFELINE_SERVER_ID", serverId);
        platform.put("LIFELINE_WORKSPACE_ID", spec.id().toString());
        platform.put("LIFELINE_GENERATION", Long.toString(spec.generation()));
        return platform;
    }
}
