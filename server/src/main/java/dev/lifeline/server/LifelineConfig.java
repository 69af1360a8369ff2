package dev.lifeline.server;

import dev.lifeline.proxy.HoldConfig;
import dev.lifeline.proxy.QueueConfig;
import dev.lifeline.supervisor.RetentionPolicy;
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
 * @param agentCardsPublic whether the agent cards Lifeline serves need no token (the calls always do)
 * @param requestIdleTimeout the longest a client may pause while sending a request's headers or body
 *     (answered 408) or leave a kept-alive connection idle
 * @param frontDoor what owns the public port: the Netty edge, or Jetty as it is
 * @param edgeThreads the Netty edge's event-loop threads
 * @param controlPlane the control-plane backend's settings; present when it is the default backend
 *     or a control-plane URL is set
 * @param retention how many days activity rows and persisted events are kept (0 keeps them forever)
 * @param restartHealthyRun how long an agent must have been online for its death to start the
 *     restart back-off over instead of climbing it
 * @param a2aHolds how long and how many A2A calls wait for a restarting workspace's next incarnation
 * @param a2aQueue how calls a busy agent could not take are delivered later
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
        Duration requestIdleTimeout,
        FrontDoor frontDoor,
        int edgeThreads,
        boolean agentUrlsMayBeLoopback,
        boolean agentUrlsMayBePrivate,
        boolean agentCardsPublic,
        Duration restartBackoff,
        int crashLoopRestarts,
        Duration restartHealthyRun,
        int maxConcurrentStarts,
        Duration provisionTimeout,
        Optional<ControlPlaneSettings> controlPlane,
        RetentionPolicy retention,
        HoldConfig a2aHolds,
        QueueConfig a2aQueue) {

    /** Reads every key from {@code env}; unknown {@code LIFELINE_*} keys are ignored. */
    public static LifelineConfig from(Map<String, String> env) {
        Reader r = new Reader(env);
        String backend = r.oneOf("LIFELINE_BACKEND", "process", "process", "docker", "controlplane");
        return new LifelineConfig(
                r.port("LIFELINE_PORT", 8080),
                r.text("LIFELINE_BIND", "127.0.0.1"),
                Path.of(r.text("LIFELINE_DATA_DIR", "./data")),
                r.optional("LIFELINE_DATABASE_URL"),
                r.optional("LIFELINE_DATABASE_USER"),
                r.optional("LIFELINE_DATABASE_PASSWORD"),
                r.optional("LIFELINE_ADMIN_TOKEN"),
                backend,
                r.optional("LIFELINE_PLATFORM_URL"),
                r.seconds("LIFELINE_SWEEP_INTERVAL_SECONDS", 15),
                r.seconds("LIFELINE_HEARTBEAT_TTL_SECONDS", 90),
                r.seconds("LIFELINE_AGENT_HEARTBEAT_SECONDS", 30),
                r.seconds("LIFELINE_STOP_GRACE_SECONDS", 10),
                r.seconds("LIFELINE_A2A_IDLE_TIMEOUT_SECONDS", 300),
                r.seconds("LIFELINE_STREAM_KEEPALIVE_SECONDS", 15),
                r.seconds("LIFELINE_REQUEST_IDLE_TIMEOUT_SECONDS", 30),
                FrontDoor.valueOf(
                        r.oneOf("LIFELINE_EDGE", "netty", "netty", "jetty").toUpperCase(java.util.Locale.ROOT)),
                r.positive("LIFELINE_EDGE_THREADS", Runtime.getRuntime().availableProcessors()),
                r.flag("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK"),
                r.flag("LIFELINE_AGENT_URLS_ALLOW_PRIVATE"),
                r.flag("LIFELINE_AGENT_CARD_PUBLIC"),
                r.seconds("LIFELINE_RESTART_BACKOFF_SECONDS", 10),
                r.positive("LIFELINE_CRASH_LOOP_RESTARTS", 5),
                r.seconds("LIFELINE_RESTART_HEALTHY_RUN_SECONDS", 60),
                r.positive("LIFELINE_MAX_CONCURRENT_STARTS", 8),
                r.seconds("LIFELINE_PROVISION_TIMEOUT_SECONDS", 600),
                controlPlane(r, backend),
                new RetentionPolicy(
                        r.days("LIFELINE_ACTIVITY_RETENTION_DAYS", 30),
                        r.days("LIFELINE_EVENT_RETENTION_DAYS", 30),
                        RetentionPolicy.DEFAULT_BATCH_SIZE),
                new HoldConfig(
                        r.secondsOrZero("LIFELINE_A2A_HOLD_SECONDS", 30),
                        r.positive("LIFELINE_A2A_HOLD_PER_WORKSPACE", 100),
                        r.positive("LIFELINE_A2A_HOLD_TOTAL", 5000)),
                new QueueConfig(
                        r.seconds("LIFELINE_A2A_QUEUE_DRAIN_SECONDS", 5),
                        r.seconds("LIFELINE_A2A_QUEUE_LEASE_SECONDS", 600),
                        r.positive("LIFELINE_A2A_QUEUE_MAX_ATTEMPTS", 10),
                        r.seconds("LIFELINE_A2A_QUEUE_MAX_AGE_SECONDS", 3600),
                        r.seconds("LIFELINE_A2A_QUEUE_BUSY_PAUSE_SECONDS", 30),
                        r.days("LIFELINE_A2A_QUEUE_RETENTION_DAYS", 7)));
    }

    /** Read when the control-plane backend is the default or a control-plane URL is set; then complete. */
    private static Optional<ControlPlaneSettings> controlPlane(Reader r, String backend) {
        Optional<Map.Entry<String, String>> url = r.firstOf(ControlPlaneSettings.URL_KEYS);
        if (url.isEmpty() && !backend.equals("controlplane")) {
            return Optional.empty();
        }
        Map.Entry<String, String> base = url.orElseThrow(() -> new ConfigException(
                "LIFELINE_BACKEND=controlplane needs the control plane's URL: set LIFELINE_CP_URL (or CP_PROVISION_URL"
                        + " / MOLECULE_CP_URL)"));
        String org = r.firstOf(ControlPlaneSettings.ORG_KEYS)
                .map(Map.Entry::getValue)
                .orElseThrow(
                        () -> new ConfigException(
                                "the control-plane backend needs an organisation id: set LIFELINE_CP_ORG_ID (or MOLECULE_ORG_ID)"));
        return Optional.of(new ControlPlaneSettings(
                httpUrl(base.getKey(), base.getValue()),
                org,
                r.firstOf(ControlPlaneSettings.SHARED_SECRET_KEYS)
                        .map(Map.Entry::getValue)
                        .orElse(""),
                r.firstOf(ControlPlaneSettings.TENANT_TOKEN_KEYS)
                        .map(Map.Entry::getValue)
                        .orElse(""),
                r.firstOf(ControlPlaneSettings.ADMIN_API_KEY_KEYS)
                        .map(Map.Entry::getValue)
                        .orElse(""),
                r.seconds("LIFELINE_CP_PROVISION_TIMEOUT_SECONDS", 120),
                r.seconds("LIFELINE_CP_CALL_TIMEOUT_SECONDS", 10),
                r.positive("LIFELINE_CP_PROBE_CONCURRENCY", 16)));
    }

    private static java.net.URI httpUrl(String key, String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            if ((value.startsWith("http://") || value.startsWith("https://")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(key + " must be an absolute http(s) URL, got '" + value + "'");
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

        /** The first of {@code keys} that is set, with its key, for a setting that has older names. */
        Optional<Map.Entry<String, String>> firstOf(String... keys) {
            for (String key : keys) {
                String v = raw(key);
                if (v != null) {
                    return Optional.of(Map.entry(key, v));
                }
            }
            return Optional.empty();
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
            double s = number(key, fallback);
            if (!(s > 0)) {
                throw new ConfigException(key + " must be a positive number of seconds, got '" + raw(key) + "'");
            }
            return Duration.ofMillis(Math.round(s * 1000));
        }

        /** Like {@link #seconds}, where 0 is allowed too: it turns the setting's waiting off. */
        Duration secondsOrZero(String key, double fallback) {
            double s = number(key, fallback);
            if (!(s >= 0)) {
                throw new ConfigException(key + " must be 0 or a positive number of seconds, got '" + raw(key) + "'");
            }
            return Duration.ofMillis(Math.round(s * 1000));
        }

        private double number(String key, double fallback) {
            String v = raw(key);
            try {
                return v == null ? fallback : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be a number of seconds, got '" + v + "'");
            }
        }

        /** A whole number of days; 0 means forever. */
        Duration days(String key, int fallback) {
            int v = integer(key, fallback);
            if (v < 0) {
                throw new ConfigException(key + " must be a number of days, 0 to keep forever, got " + v);
            }
            return Duration.ofDays(v);
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
