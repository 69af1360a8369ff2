package dev.lifeline.server;

import dev.lifeline.backend.docker.DockerBackendConfig;
import dev.lifeline.backend.docker.ImagePlatform;
import dev.lifeline.backend.docker.TierResources;
import dev.lifeline.backend.docker.WorkspaceAccess;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker backend's {@code LIFELINE_*} settings, validated with messages that name the key.
 * The backend is on when {@code LIFELINE_BACKEND=docker} or {@code LIFELINE_DOCKER_HOST} is set.
 */
final class DockerSettings {
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final String DEFAULT_NETWORK = "lifeline";
    /** The reference agent's image, as {@code backends/docker/agent-image.sh} builds it. */
    static final String DEFAULT_ECHO_IMAGE = "lifeline/reference-agent:latest";

    private static final Logger log = LoggerFactory.getLogger(DockerSettings.class);
    private static final java.util.Set<String> LOOPBACK_BINDS = java.util.Set.of("127.0.0.1", "localhost", "::1");
    private static final String IMAGE_PREFIX = "LIFELINE_IMAGE_";
    private static final String PLATFORM_KEY = "LIFELINE_IMAGE_PLATFORM";

    private DockerSettings() {}

    static boolean enabled(LifelineConfig config, Map<String, String> env) {
        return config.backend().equals("docker") || present(env, "LIFELINE_DOCKER_HOST");
    }

    /**
     * Reads the settings. {@code bind} is the address Lifeline listens on: when it is loopback and
     * no platform URL for containers is set, agents in containers cannot reach Lifeline, which is
     * said in the log.
     */
    static DockerBackendConfig from(Map<String, String> env, String serverId, String bind) {
        if (LOOPBACK_BINDS.contains(bind) && !present(env, "LIFELINE_DOCKER_PLATFORM_URL")) {
            log.warn(
                    "Lifeline listens on {} only, which containers cannot reach: agents in Docker will not"
                            + " register. Set LIFELINE_BIND to the Docker bridge address (e.g. 172.17.0.1) or 0.0.0.0,"
                            + " or LIFELINE_DOCKER_PLATFORM_URL to a URL containers can reach.",
                    bind);
        }
        String host = value(env, "LIFELINE_DOCKER_HOST").orElse(DEFAULT_HOST);
        if (!host.startsWith("unix://") && !host.startsWith("tcp://")) {
            throw new ConfigException("LIFELINE_DOCKER_HOST must be a unix:// or tcp:// address, got '" + host + "'");
        }
        String network = value(env, "LIFELINE_DOCKER_NETWORK").orElse(DEFAULT_NETWORK);
        String workspaceDir = value(env, "LIFELINE_DOCKER_WORKSPACE_DIR").orElse(null);
        WorkspaceAccess access = access(env, workspaceDir);
        try {
            return new DockerBackendConfig(
                    host,
                    serverId,
                    network,
                    images(env),
                    platform(env, System.getProperty("os.name"), System.getProperty("os.arch")),
                    tierResources(env),
                    value(env, "LIFELINE_DOCKER_PLATFORM_URL").orElse(null),
                    workspaceDir,
                    access,
                    Duration.ofSeconds(positive(env, "LIFELINE_DOCKER_PULL_TIMEOUT_SECONDS", 600)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Docker backend: " + e.getMessage());
        }
    }

    /** {@code LIFELINE_IMAGE_<RUNTIME>=image}; the runtime is lower case with {@code -} for {@code _}. */
    static Map<String, String> images(Map<String, String> env) {
        Map<String, String> images = new LinkedHashMap<>();
        images.put("echo", DEFAULT_ECHO_IMAGE);
        env.forEach((key, value) -> {
            if (key.startsWith(IMAGE_PREFIX) && !key.equals(PLATFORM_KEY) && key.length() > IMAGE_PREFIX.length()) {
                if (value.isBlank()) {
                    throw new ConfigException(key + " must name an image, such as ghcr.io/org/agent:1.0");
                }
                String runtime = key.substring(IMAGE_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '-');
                images.put(runtime, value.strip());
            }
        });
        return images;
    }

    /**
     * {@code LIFELINE_IMAGE_PLATFORM} when present, even empty (which means "no forcing");
     * otherwise {@code linux/amd64} on an arm64 Mac.
     */
    static @Nullable ImagePlatform platform(Map<String, String> env, String osName, String osArch) {
        String forced = env.get(PLATFORM_KEY);
        if (forced == null) {
            return ImagePlatform.automatic(osName, osArch).orElse(null);
        }
        if (forced.isBlank()) {
            return null;
        }
        return ImagePlatform.parse(forced)
                .orElseThrow(() -> new ConfigException(PLATFORM_KEY
                        + " must be os/arch, such as linux/amd64, or empty for none; got '" + forced + "'"));
    }

    /** {@code LIFELINE_TIER<n>_MEMORY_MB} and {@code LIFELINE_TIER<n>_CPU_SHARES} for tiers 2 to 4. */
    static Map<Integer, TierResources> tierResources(Map<String, String> env) {
        Map<Integer, TierResources> defaults = TierResources.defaults();
        Map<Integer, TierResources> resources = new HashMap<>();
        for (int tier = 2; tier <= 4; tier++) {
            TierResources fallback = java.util.Objects.requireNonNull(defaults.get(tier));
            resources.put(
                    tier,
                    new TierResources(positive(env, "LIFELINE_TIER" + tier + "_MEMORY_MB", fallback.memoryMiB()), (int)
                            positive(env, "LIFELINE_TIER" + tier + "_CPU_SHARES", fallback.cpuShares())));
        }
        return resources;
    }

    private static WorkspaceAccess access(Map<String, String> env, @Nullable String workspaceDir) {
        String key = "LIFELINE_DOCKER_WORKSPACE_ACCESS";
        Optional<String> given = value(env, key);
        if (given.isEmpty()) {
            return workspaceDir == null ? WorkspaceAccess.NONE : WorkspaceAccess.READ_WRITE;
        }
        try {
            WorkspaceAccess access = WorkspaceAccess.parse(given.get());
            if (access != WorkspaceAccess.NONE && workspaceDir == null) {
                throw new ConfigException(key + "=" + given.get() + " needs LIFELINE_DOCKER_WORKSPACE_DIR");
            }
            return access;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static long positive(Map<String, String> env, String key, long fallback) {
        Optional<String> text = value(env, key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " must be a positive whole number, got '" + text.get() + "'");
    }

    private static boolean present(Map<String, String> env, String key) {
        return value(env, key).isPresent();
    }

    private static Optional<String> value(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
