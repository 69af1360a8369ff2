package dev.lifeline.server;

import dev.lifeline.core.AgentEnvPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The variables the supervisor gives every agent on every backend: the server variables the
 * operator names in {@code LIFELINE_AGENT_ENV_ALLOW} (comma-separated, e.g. a model provider's key),
 * and the heartbeat interval. No other server variable reaches an agent (see {@link AgentEnvPolicy}).
 */
final class AgentEnvSettings {
    static final String KEY = "LIFELINE_AGENT_ENV_ALLOW";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Settings Lifeline reads under names of the reference system; they stay the server's, like LIFELINE_*. */
    private static final Set<String> SERVER_SETTINGS = Stream.of(
                    ControlPlaneSettings.URL_KEYS,
                    ControlPlaneSettings.ORG_KEYS,
                    ControlPlaneSettings.SHARED_SECRET_KEYS,
                    ControlPlaneSettings.TENANT_TOKEN_KEYS,
                    ControlPlaneSettings.ADMIN_API_KEY_KEYS,
                    new String[] {CorsOrigins.REFERENCE_KEY})
            .flatMap(Arrays::stream)
            .collect(Collectors.toUnmodifiableSet());

    private AgentEnvSettings() {}

    static Map<String, String> forEveryAgent(Map<String, String> env, Duration heartbeat) {
        Map<String, String> variables = new LinkedHashMap<>(AgentEnvPolicy.named(env, allowList(env)));
        variables.put("HEARTBEAT_INTERVAL_SECONDS", String.valueOf(heartbeat.toMillis() / 1000.0));
        return variables;
    }

    /** The names in {@code LIFELINE_AGENT_ENV_ALLOW}; Lifeline's own settings cannot be among them. */
    static List<String> allowList(Map<String, String> env) {
        List<String> names = new ArrayList<>();
        for (String part : env.getOrDefault(KEY, "").split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(
                        KEY + " must list variable names separated by commas; '" + name + "' is not a variable name");
            }
            if (name.startsWith("LIFELINE_") || SERVER_SETTINGS.contains(name)) {
                throw new ConfigException(
                        KEY + " cannot name " + name + ": Lifeline's own settings never reach agents");
            }
            names.add(name);
        }
        return names;
    }
}
