package dev.lifeline.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.lifeline.core.BackendException;
import dev.lifeline.core.DeathListener;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Redaction;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each workspace's agent as a Docker container through the Docker Engine API.
 *
 * <p>An instance ref is the container's full id, so each generation has its own ref even though
 * every generation of a workspace uses the same container name. Liveness comes from the daemon
 * ({@code inspect}, one {@code list} for a sweep), deaths from its event stream. Volumes survive
 * {@link #stop}: they hold the workspace's data and config between generations.
 */
public final class DockerProvisioner implements Provisioner, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerProvisioner.class);
    static final String NAME = "docker";
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONSOLE_CHARS = 64 * 1024;
    private static final int CONSOLE_LINES = 2000;

    private final DockerBackendConfig config;
    private final DockerClient commands;
    private final DockerClient streams;
    private final DeathEvents deaths;
    private final Containers containers;

    public DockerProvisioner(DockerBackendConfig config) {
        this.config = config;
        this.commands = client(config.dockerHost(), COMMAND_TIMEOUT);
        this.streams = client(config.dockerHost(), null);
        this.deaths = new DeathEvents(streams, config.serverId());
        this.containers = new Containers(commands, streams, config, deaths);
    }

    private static DockerClient client(String host, @Nullable Duration responseTimeout) {
        var clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(64);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(clientConfig, new FreshConnections(http.build()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Set<String>> knownRuntimes() {
        return Optional.of(new TreeSet<>(config.images().keySet()));
    }

    @Override
    public Instance start(StartSpec spec) {
        String image = config.images().get(spec.runtime());
        if (image == null) {
            throw new BackendException(
                    NAME,
                    "no image configured for runtime '" + spec.runtime() + "' (set "
                            + DockerBackendConfig.imageKey(spec.runtime()) + "); runtimes with an image: "
                            + new TreeSet<>(config.images().keySet()));
        }
        return containers.start(spec, image);
    }

    /** Force-removes the container; one that is gone or already being removed counts as stopped. */
    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        deaths.expectStop(ref.value());
        try {
            commands.removeContainerCmd(ref.value())
                    .withForce(true)
                    .withRemoveVolumes(false)
                    .exec();
            log.info("Stopped workspace {} (container {})", id, ref);
        } catch (ConflictException e) {
            if (!DaemonErrors.isRemovalInProgress(e.getMessage())) {
                throw stopFailed(id, ref, e);
            }
        } catch (RuntimeException e) {
            if (!DaemonErrors.isNotFound(e)) {
                throw stopFailed(id, ref, e);
            }
        }
    }

    private BackendException stopFailed(WorkspaceId id, InstanceRef ref, RuntimeException e) {
        deaths.stopFailed(ref.value());
        return new BackendException(
                NAME, "cannot remove container " + ref + " of workspace " + id + "; its volumes are kept", e);
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        InspectContainerResponse container;
        try {
            container = commands.inspectContainerCmd(ref.value()).exec();
        } catch (RuntimeException e) {
            return DaemonErrors.isNotFound(e) ? Liveness.STOPPED : Liveness.unknown("docker inspect failed: " + e);
        }
        Map<String, String> labels = container.getConfig() == null
                ? Map.of()
                : Optional.ofNullable(container.getConfig().getLabels()).orElse(Map.of());
        boolean ours = id.toString().equals(labels.get(Labels.WORKSPACE));
        boolean running = container.getState() != null
                && Boolean.TRUE.equals(container.getState().getRunning());
        return ours && running ? Liveness.RUNNING : Liveness.STOPPED;
    }

    /** Answers from one list of every Lifeline container on the daemon. */
    @Override
    public Map<WorkspaceId, Liveness> probeAll(Collection<OwnedInstance> instances) {
        Map<String, Container> byId;
        try {
            byId =
                    commands
                            .listContainersCmd()
                            .withShowAll(true)
                            .withLabelFilter(Map.of(Labels.MANAGED, "true"))
                            .exec()
                            .stream()
                            .collect(Collectors.toMap(Container::getId, c -> c, (a, b) -> a));
        } catch (RuntimeException e) {
            Liveness unknown = Liveness.unknown("docker list failed: " + e);
            Map<WorkspaceId, Liveness> result = new LinkedHashMap<>();
            instances.forEach(instance -> result.put(instance.id(), unknown));
            return result;
        }
        Map<WorkspaceId, Liveness> result = new LinkedHashMap<>();
        for (OwnedInstance instance : instances) {
            String ref = instance.ref().value();
            result.put(
                    instance.id(),
                    FULL_ID.matcher(ref).matches()
                            ? listed(instance.id(), byId.get(ref))
                            : probe(instance.id(), instance.ref()));
        }
        return result;
    }

    private static Liveness listed(WorkspaceId id, @Nullable Container container) {
        if (container == null || container.getLabels() == null) {
            return Liveness.STOPPED;
        }
        boolean ours = id.toString().equals(container.getLabels().get(Labels.WORKSPACE));
        return ours && "running".equals(container.getState()) ? Liveness.RUNNING : Liveness.STOPPED;
    }

    @Override
    public void watch(DeathListener listener) {
        deaths.addListener(listener);
    }

    /** This server's containers, running or exited (so that exited orphans are reaped too). */
    @Override
    public List<OwnedInstance> listOwned() {
        List<Container> listed;
        try {
            listed = commands.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Labels.ownedBy(config.serverId()))
                    .exec();
        } catch (RuntimeException e) {
            throw new BackendException(NAME, "cannot list this server's containers", e);
        }
        List<OwnedInstance> owned = new ArrayList<>();
        for (Container container : listed) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            try {
                owned.add(new OwnedInstance(
                        WorkspaceId.parse(String.valueOf(labels.get(Labels.WORKSPACE))),
                        Long.parseLong(String.valueOf(labels.get(Labels.GENERATION))),
                        new InstanceRef(container.getId())));
            } catch (RuntimeException e) {
                log.warn("Container {} carries malformed Lifeline labels; ignoring it", container.getId());
            }
        }
        return owned;
    }

    /** The container's output (stdout and stderr, demultiplexed), with its secret values hidden. */
    @Override
    public Optional<String> console(WorkspaceId id, InstanceRef ref) {
        Redaction redactor;
        try {
            InspectContainerResponse container =
                    commands.inspectContainerCmd(ref.value()).exec();
            String[] env =
                    container.getConfig() == null ? null : container.getConfig().getEnv();
            redactor = Redaction.ofLines(env == null ? List.of() : List.of(env));
        } catch (RuntimeException e) {
            if (DaemonErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw new BackendException(NAME, "cannot inspect container " + ref + " of workspace " + id, e);
        }
        StringBuilder output = new StringBuilder();
        try (var callback = commands.logContainerCmd(ref.value())
                .withStdOut(true)
                .withStdErr(true)
                .withTail(CONSOLE_LINES)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        synchronized (output) {
                            output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                })) {
            callback.awaitCompletion(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new BackendException(NAME, "cannot read the logs of container " + ref, e);
        }
        String text;
        synchronized (output) {
            text = redactor.apply(output.toString());
        }
        return Optional.of(text.length() > CONSOLE_CHARS ? text.substring(text.length() - CONSOLE_CHARS) : text);
    }

    /** The host port the daemon published for the agent port, when it has one. */
    static Optional<String> publishedUrl(InspectContainerResponse container) {
        if (container.getNetworkSettings() == null) {
            return Optional.empty();
        }
        Ports.Binding[] agent =
                container.getNetworkSettings().getPorts().getBindings().get(ContainerRequest.AGENT_PORT);
        if (agent == null || agent.length == 0 || agent[0].getHostPortSpec() == null) {
            return Optional.empty();
        }
        return Optional.of("http://" + ContainerRequest.LOOPBACK + ":" + agent[0].getHostPortSpec());
    }

    /** Stops watching the daemon and closes the connections; containers keep running. */
    @Override
    public void close() {
        deaths.close();
        for (DockerClient client : List.of(commands, streams)) {
            try {
                client.close();
            } catch (IOException e) {
                log.debug("closing the Docker client failed", e);
            }
        }
    }
}
