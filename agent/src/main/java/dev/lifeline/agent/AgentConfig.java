package dev.lifeline.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the reference agent, read once from the environment at start-up.
 *
 * @param port the TCP port to listen on; 0 picks a free one
 * @param host the host name in the URL the agent advertises and registers ({@code http://host:port})
 * @param bindAddress the local address the HTTP server binds to
 * @param workspaceId the workspace this agent serves, sent on register and heartbeat
 * @param agentName the name in the agent card
 * @param platform whether to register with a Lifeline platform, and how
 */
public record AgentConfig(
        int port, String host, String bindAddress, String workspaceId, String agentName, Platform platform) {

    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    private static final double MAX_HEARTBEAT_SECONDS = 86_400;

    public AgentConfig {
        if (port < 0 || port > 65_535) {
            throw new InvalidAgentConfigException("PORT", "PORT must be between 0 and 65535, was " + port);
        }
        requireText("AGENT_HOST", host);
        requireText("AGENT_BIND_ADDRESS", bindAddress);
        requireText("AGENT_NAME", agentName);
        if (platform instanceof Registry && workspaceId.isBlank()) {
            throw new InvalidAgentConfigException("WORKSPACE_ID", "WORKSPACE_ID is required when PLATFORM_URL is set");
        }
    }

    /** Whether the agent registers with a platform or runs on its own. */
    public sealed interface Platform permits Standalone, Registry {}

    /** The agent serves A2A but neither registers nor heartbeats. */
    public record Standalone() implements Platform {}

    /**
     * The agent registers at {@code url} and heartbeats every {@code heartbeatInterval}.
     *
     * @param url the platform's base URL ({@code PLATFORM_URL})
     * @param authToken the workspace token sent as a bearer token; empty sends none
     * @param heartbeatInterval the time between two heartbeats
     */
    public record Registry(URI url, String authToken, Duration heartbeatInterval) implements Platform {

        public Registry {
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new InvalidAgentConfigException(
                        "HEARTBEAT_INTERVAL_SECONDS", "HEARTBEAT_INTERVAL_SECONDS must be positive");
            }
        }

        @Override
        public String toString() {
            String token = authToken.isEmpty() ? "<none>" : "<redacted>";
            return "Registry[url=" + url + ", authToken=" + token + ", heartbeatInterval=" + heartbeatInterval + "]";
        }
    }

    /** A standalone agent on {@code 127.0.0.1:port}, for tests and demos. */
    public static AgentConfig standalone(int port) {
        return new AgentConfig(port, "127.0.0.1", "127.0.0.1", "standalone", "echo", new Standalone());
    }

    /**
     * Reads {@code PORT}, {@code AGENT_HOST}, {@code AGENT_BIND_ADDRESS}, {@code AGENT_NAME},
     * {@code WORKSPACE_ID}, {@code PLATFORM_URL}, {@code WORKSPACE_AUTH_TOKEN} and {@code
     * HEARTBEAT_INTERVAL_SECONDS}; empty values count as unset.
     *
     * @throws InvalidAgentConfigException naming the first variable that is missing or invalid
     */
    public static AgentConfig fromEnvironment(Map<String, String> env) {
        String portText = value(env, "PORT");
        if (portText == null) {
            throw new InvalidAgentConfigException(
                    "PORT", "PORT is required (or pass --port): the TCP port the agent listens on");
        }
        int port = parsePort(portText);
        String host = valueOr(env, "AGENT_HOST", "127.0.0.1");
        String bind = valueOr(env, "AGENT_BIND_ADDRESS", isLoopback(host) ? "127.0.0.1" : "0.0.0.0");
        String workspaceId = valueOr(env, "WORKSPACE_ID", "");
        String name = valueOr(env, "AGENT_NAME", "echo");
        return new AgentConfig(port, host, bind, workspaceId, name, platform(env));
    }

    /**
     * Reads the environment, letting {@code --port N} (or {@code --port=N}) on the command line
     * override {@code PORT}.
     */
    static AgentConfig fromCommandLine(List<String> args, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(env);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--port=")) {
                merged.put("PORT", arg.substring("--port=".length()));
            } else if (arg.equals("--port") && i + 1 < args.size()) {
                merged.put("PORT", args.get(++i));
            } else {
                throw new InvalidAgentConfigException("--port", "unknown argument '" + arg + "'; usage: [--port N]");
            }
        }
        return fromEnvironment(merged);
    }

    private static Platform platform(Map<String, String> env) {
        String url = value(env, "PLATFORM_URL");
        if (url == null) {
            return new Standalone();
        }
        return new Registry(parsePlatformUrl(url), valueOr(env, "WORKSPACE_AUTH_TOKEN", ""), parseInterval(env));
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidAgentConfigException(
                "PORT", "PORT must be an integer between 0 and 65535, was '" + text + "'");
    }

    private static URI parsePlatformUrl(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidAgentConfigException(
                "PLATFORM_URL", "PLATFORM_URL must be an absolute http(s) URL, was '" + text + "'");
    }

    private static Duration parseInterval(Map<String, String> env) {
        String text = value(env, "HEARTBEAT_INTERVAL_SECONDS");
        if (text == null) {
            return DEFAULT_HEARTBEAT_INTERVAL;
        }
        try {
            double seconds = Double.parseDouble(text.strip());
            if (seconds > 0 && seconds <= MAX_HEARTBEAT_SECONDS) {
                return Duration.ofNanos(Math.round(seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidAgentConfigException(
                "HEARTBEAT_INTERVAL_SECONDS",
                "HEARTBEAT_INTERVAL_SECONDS must be a positive number of seconds (e.g. 30 or 0.5), was '" + text + "'");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static @Nullable String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String valueOr(Map<String, String> env, String name, String fallback) {
        String value = value(env, name);
        return value == null ? fallback : value.strip();
    }

    private static void requireText(String variable, String value) {
        if (value.isBlank()) {
            throw new InvalidAgentConfigException(variable, variable + " must not be blank");
        }
    }
}
