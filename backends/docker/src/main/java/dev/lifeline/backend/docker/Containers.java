package dev.lifeline.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one generation of a workspace: network and volumes, the previous container out of the
 * way, the image present, the container created, its config files written into the config volume,
 * and only then the container started, so the agent never boots without its files.
 */
final class Containers {
    private static final Logger log = LoggerFactory.getLogger(Containers.class);
    static final String TOKEN_FILE = ".auth_token";

    private final DockerClient commands;
    private final DockerClient streams;
    private final DockerBackendConfig config;
    private final DeathEvents deaths;
    private final Map<WorkspaceId, ReentrantLock> startLocks = new ConcurrentHashMap<>();
    private volatile boolean networkReady;

    Containers(DockerClient commands, DockerClient streams, DockerBackendConfig config, DeathEvents deaths) {
        this.commands = commands;
        this.streams = streams;
        this.config = config;
        this.deaths = deaths;
    }

    Instance start(StartSpec spec, String image) {
        ReentrantLock lock = startLocks.computeIfAbsent(spec.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            return startLocked(spec, image);
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException(DockerProvisioner.NAME, "cannot start workspace " + spec.id() + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private Instance startLocked(StartSpec spec, String image) {
        TierSettings tier = TierSettings.of(spec.tier(), config.tierResources());
        ensureNetwork();
        ensureVolume(ContainerNames.configVolume(spec.id()), spec.id());
        WorkspaceMount workspace = null;
        if (tier.mountsWorkspace()) {
            workspace = WorkspaceMount.select(
                    config.workspaceDir(), config.workspaceAccess(), ContainerNames.workspaceVolume(spec.id()));
            if (!workspace.hostDirectory()) {
                ensureVolume(workspace.source(), spec.id());
            }
        }
        String platformUrl = config.platformUrl() == null ? spec.platformUrl() : config.platformUrl();
        ContainerRequest request =
                new ContainerRequest(spec, image, tier, workspace, PlatformAddress.forContainers(platformUrl), config);
        removePrevious(spec.id(), request.name());
        ensureImage(image, spec.runtime());
        String containerId = create(request, spec.runtime());
        try {
            writeConfigFiles(containerId, spec);
            commands.startContainerCmd(containerId).exec();
            InspectContainerResponse started =
                    commands.inspectContainerCmd(containerId).exec();
            String url = DockerProvisioner.publishedUrl(started)
                    .orElseThrow(() -> new BackendException(
                            DockerProvisioner.NAME, "the daemon published no host port for " + request.name()));
            log.info(
                    "Started workspace {} generation {} as container {} ({}) at {}",
                    spec.id(),
                    spec.generation(),
                    request.name(),
                    containerId,
                    url);
            return new Instance(new InstanceRef(containerId), url);
        } catch (RuntimeException e) {
            removeQuietly(containerId);
            throw e;
        }
    }

    private void ensureNetwork() {
        String network = config.network();
        if (networkReady || network == null || !ContainerRequest.isUserDefined(network)) {
            return;
        }
        try {
            commands.inspectNetworkCmd().withNetworkId(network).exec();
        } catch (RuntimeException e) {
            if (!DaemonErrors.isNotFound(e)) {
                throw e;
            }
            try {
                commands.createNetworkCmd()
                        .withName(network)
                        .withDriver("bridge")
                        .withLabels(Map.of(Labels.MANAGED, "true"))
                        .exec();
                log.info("Created Docker network {}", network);
            } catch (ConflictException raced) {
                log.debug("Docker network {} was created meanwhile", network);
            }
        }
        networkReady = true;
    }

    private void ensureVolume(String name, WorkspaceId id) {
        // Creating an existing volume with the same labels is a no-op for the daemon.
        commands.createVolumeCmd()
                .withName(name)
                .withLabels(Labels.ofVolume(id, config.serverId()))
                .exec();
    }

    /**
     * Removes the workspace's previous container, which holds the name. A container of that name
     * that belongs to another workspace (the first 12 characters of two ids can coincide) or to no
     * Lifeline is left alone, and this start fails instead.
     */
    private void removePrevious(WorkspaceId id, String name) {
        InspectContainerResponse previous;
        try {
            previous = commands.inspectContainerCmd(name).exec();
        } catch (RuntimeException e) {
            if (DaemonErrors.isNotFound(e)) {
                return;
            }
            throw e;
        }
        Map<String, String> labels = previous.getConfig() == null
                ? Map.of()
                : Optional.ofNullable(previous.getConfig().getLabels()).orElse(Map.of());
        if (!id.toString().equals(labels.get(Labels.WORKSPACE))) {
            throw new BackendException(
                    DockerProvisioner.NAME,
                    "container name " + name + " is taken by "
                            + (labels.containsKey(Labels.WORKSPACE)
                                    ? "workspace " + labels.get(Labels.WORKSPACE)
                                    : "a container Lifeline did not create")
                            + "; remove it or rename it");
        }
        deaths.expectStop(previous.getId());
        try {
            commands.removeContainerCmd(previous.getId()).withForce(true).exec();
        } catch (RuntimeException e) {
            if (!DaemonErrors.isNotFound(e) && !DaemonErrors.isRemovalInProgress(e.getMessage())) {
                deaths.stopFailed(previous.getId());
                throw e;
            }
        }
    }

    /** Pulls a missing image (for the configured platform), with its own time limit. */
    private void ensureImage(String image, String runtime) {
        try {
            commands.inspectImageCmd(image).exec();
            return;
        } catch (RuntimeException e) {
            if (!DaemonErrors.isNotFound(e)) {
                throw e;
            }
        }
        log.info("Pulling image {} for runtime {}", image, runtime);
        ImageName name = ImageName.parse(image);
        var pull = streams.pullImageCmd(name.repository()).withTag(name.tag());
        ImagePlatform platform = config.platform();
        if (platform != null) {
            pull.withPlatform(platform.toString());
        }
        try {
            boolean done = pull.exec(new PullImageResultCallback())
                    .awaitCompletion(config.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                log.warn("Pulling image {} did not finish within {}", image, config.pullTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(DockerProvisioner.NAME, "interrupted while pulling image " + image, e);
        } catch (RuntimeException e) {
            log.warn("Pulling image {} for runtime {} failed: {}", image, runtime, e.getMessage());
        }
    }

    private String create(ContainerRequest request, String runtime) {
        try {
            return request.toCommand(commands).exec().getId();
        } catch (RuntimeException e) {
            if (DaemonErrors.isImageNotFound(e.getMessage())) {
                throw new BackendException(
                        DockerProvisioner.NAME,
                        "image " + request.image() + " for runtime '" + runtime
                                + "' was not found locally and could not be pulled; build or load it, or set"
                                + " " + DockerBackendConfig.imageKey(runtime) + " to an image the daemon can get",
                        e);
            }
            throw new BackendException(
                    DockerProvisioner.NAME, "failed to create container " + request.name() + ": " + e.getMessage(), e);
        }
    }

    /** The workspace token as {@code /configs/.auth_token} (mode 0600), like the reference. */
    private void writeConfigFiles(String containerId, StartSpec spec) {
        String token = spec.env().get("WORKSPACE_AUTH_TOKEN");
        if (token == null) {
            return;
        }
        byte[] archive = ConfigArchive.of(Map.of(TOKEN_FILE, new ConfigArchive.Entry(token, 0600)));
        commands.copyArchiveToContainerCmd(containerId)
                .withRemotePath(AgentEnvironment.CONFIG_PATH)
                .withTarInputStream(new ByteArrayInputStream(archive))
                .exec();
    }

    private void removeQuietly(String containerId) {
        deaths.expectStop(containerId);
        try {
            commands.removeContainerCmd(containerId).withForce(true).exec();
        } catch (RuntimeException e) {
            log.warn("Cannot remove container {} after a failed start", containerId, e);
        }
    }

    /** An image reference split for the pull API, which pulls every tag when given none. */
    record ImageName(String repository, String tag) {
        static ImageName parse(String image) {
            int at = image.indexOf('@');
            if (at > 0) {
                return new ImageName(image.substring(0, at), image.substring(at + 1));
            }
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                return new ImageName(image.substring(0, colon), image.substring(colon + 1));
            }
            return new ImageName(image, "latest");
        }
    }
}
