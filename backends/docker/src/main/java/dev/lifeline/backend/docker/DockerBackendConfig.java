package dev.lifeline.backend.docker;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the Docker backend.
 *
 * @param dockerHost the daemon's address, such as {@code unix:///var/run/docker.sock}
 * @param serverId the id put on everything the backend creates: the fleet's id, which all the
 *     replicas sharing one database (and this engine) use
 * @param network the network containers join, with their name as alias; created when missing.
 *     Null means Docker's default bridge, which has no aliases
 * @param images the image per runtime; a runtime without one cannot start (no silent fallback)
 * @param platform the platform images are pulled and created for; null lets the daemon choose
 * @param tierResources memory and CPU per tier (2, 3, 4); tier 1 is uncapped
 * @param platformUrl Lifeline's URL as containers see it; null derives it from the start spec's
 * @param workspaceDir the host directory mounted at {@code /workspace}; null gives each workspace a volume
 * @param workspaceAccess how the host directory is mounted
 * @param pullTimeout how long pulling a missing image may take, apart from the start itself
 */
public record DockerBackendConfig(
        String dockerHost,
        String serverId,
        @Nullable String network,
        Map<String, String> images,
        @Nullable ImagePlatform platform,
        Map<Integer, TierResources> tierResources,
        @Nullable String platformUrl,
        @Nullable String workspaceDir,
        WorkspaceAccess workspaceAccess,
        Duration pullTimeout) {

    public DockerBackendConfig {
        URI.create(dockerHost);
        if (serverId.isBlank()) {
            throw new IllegalArgumentException("serverId must not be blank");
        }
        images.forEach((runtime, image) -> {
            if (image.isBlank()) {
                throw new IllegalArgumentException("the image of runtime " + runtime + " must not be blank");
            }
        });
        WorkspaceMount.validate(workspaceDir, workspaceAccess);
        if (!pullTimeout.isPositive()) {
            throw new IllegalArgumentException("pullTimeout must be positive, was " + pullTimeout);
        }
        images = Map.copyOf(images);
        tierResources = Map.copyOf(tierResources);
    }

    /** A backend on {@code dockerHost} with the reference's defaults for everything else. */
    public static DockerBackendConfig of(String dockerHost, String serverId, Map<String, String> images) {
        return new DockerBackendConfig(
                dockerHost,
                serverId,
                null,
                images,
                null,
                TierResources.defaults(),
                null,
                null,
                WorkspaceAccess.NONE,
                Duration.ofMinutes(10));
    }

    /** The configuration key that sets a runtime's image, for messages that tell what to set. */
    static String imageKey(String runtime) {
        return "LIFELINE_IMAGE_" + runtime.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public DockerBackendConfig withNetwork(@Nullable String name) {
        return new DockerBackendConfig(
                dockerHost,
                serverId,
                name,
                images,
                platform,
                tierResources,
                platformUrl,
                workspaceDir,
                workspaceAccess,
                pullTimeout);
    }
}
