package dev.lifeline.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Lifeline's configuration, read once from {@code LIFELINE_*} variables and validated at start-up.
 *
 * @param databaseUrl JDBC URL; empty means an H2 file database in the data directory
 * @param adminToken operator bearer token; empty means one is generated into the data directory
 * @param platformUrl the URL agents use to reach Lifeline; empty means {@code http://127.0.0.1:<port>}
 */
public record LifelineConfig(
        int port,
        String bind,
        Path dataDir,
        Optional<String> databaseUrl,
        Optional<String> databaseUser,
        Optional<String> databasePassword,
        Optional<String> adminToken,
        String backend,
        Optional<String> platformUrl,
        Duration sweepInterval,
        Duration heartbeatTtl,
        Duration agentHeartbeat,
        Duration stopGrace,
        Duration a2aIdleTimeout,
        Duration streamKeepAlive,
        boolean agentUrlsMayBeLoopback,
        boolean agentUrlsMayBePrivate,
        Duration restartBackoff,
        int crashLoopRestarts,
        int maxConcurrentStarts,
        Duration provisionTimeout) {

    /** Reads every key from {@code env}; unknown {@code LIFELINE_*} keys are ignored. */
    public static LifelineConfig from(Map<String, String> env) {
        Reader r = new Reader(env);
        return new LifelineConfig(
                r.port("LIFELINE_PORT", 8080),
                r.text("LIFELINE_BIND", "127.0.0.1"),
                Path.of(r.text("LIFELINE_DATA_DIR", "./data")),
                r.optional("LIFELINE_DATABASE_URL"),
                r.optional("LIFELINE_DATABASE_USER"),
                r.optional("LIFELINE_DATABASE_PASSWORD"),
                r.optional("LIFELINE_ADMIN_TOKEN"),
                r.oneOf("LIFELINE_BACKEND", "process", "process", "docker"),
                r.optional("LIFELINE_PLATFORM_URL"),
                r.seconds("LIFELINE_SWEEP_INTERVAL_SECONDS", 15),
                r.seconds("LIFELINE_HEARTBEAT_TTL_SECONDS", 90),
                r.seconds("LIFELINE_AGENT_HEARTBEAT_SECONDS", 30),
                r.seconds("LIFELINE_STOP_GRACE_SECONDS", 10),
                r.seconds("LIFELINE_A2A_IDLE_TIMEOUT_SECONDS", 300),
                r.seconds("LIFELINE_STREAM_KEEPALIVE_SECONDS", 15),
                r.flag("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK"),
                r.flag("LIFELINE_AGENT_URLS_ALLOW_PRIVATE"),
                r.seconds("LIFELINE_RESTART_BACKOFF_SECONDS", 10),
                r.positive("LIFELINE_CRASH_LOOP_RESTARTS", 5),
                r.positive("LIFELINE_MAX_CONCURRENT_STARTS", 8),
                r.seconds("LIFELINE_PROVISION_TIMEOUT_SECONDS", 600));
    }

    /** Reads typed values and names the key in every complaint. */
    private record Reader(Map<String, String> env) {
        private @Nullable String raw(String key) {
            String v = env.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(raw(key));
        }

        String text(String key, String fallback) {
            return optional(key).orElse(fallback);
        }

        String oneOf(String key, String fallback, String... allowed) {
            String v = text(key, fallback);
            for (String a : allowed) {
                if (a.equals(v)) {
                    return v;
                }
            }
            throw new ConfigException(key + "=" + v + " is not supported; use one of " + String.join(", ", allowed));
        }

        boolean flag(String key) {
            String v = text(key, "false");
            if (!v.equals("true") && !v.equals("false")) {
                throw new ConfigException(key + " must be true or false, got '" + v + "'");
            }
            return v.equals("true");
        }

        int positive(String key, int fallback) {
            int v = integer(key, fallback);
            if (v < 1) {
                throw new ConfigException(key + " must be a positive integer, got " + v);
            }
            return v;
        }

        int port(String key, int fallback) {
            int p = integer(key, fallback);
            if (p < 0 || p > 65535) {
                throw new ConfigException(key + " must be a TCP port between 0 and 65535, got " + p);
            }
            return p;
        }

        Duration seconds(String key, double fallback) {
            String v = raw(key);
            double s;
            try {
                s = v == null ? fallback : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be a number of seconds, got '" + v + "'");
            }
            if (!(s > 0)) {
                throw new ConfigException(key + " must be a positive number of seconds, got '" + v + "'");
            }
            return Duration.ofMillis(Math.round(s * 1000));
        }

        private int integer(String key, int fallback) {
            String v = raw(key);
            try {
                return v == null ? fallback : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be an integer, got '" + v + "'");
            }
        }
    }
}
