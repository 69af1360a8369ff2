package dev.lifeline.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.lifeline.core.StartSpec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The container definition of one workspace generation: image, environment, labels, the agent
 * port published on loopback with an ephemeral host port, mounts, tier and network.
 *
 * <p>Restart policy is "no": Lifeline decides about restarts (with back-off, a crash-loop budget
 * and a new generation and token each time); a daemon restarting containers by itself would
 * bring back agents that Lifeline has already written off or replaced.
 */
record ContainerRequest(
        StartSpec spec,
        String image,
        TierSettings tier,
        @Nullable WorkspaceMount workspace,
        PlatformAddress platform,
        DockerBackendConfig config) {

    static final ExposedPort AGENT_PORT = ExposedPort.tcp(ContainerNames.AGENT_PORT);
    static final String LOOPBACK = "127.0.0.1";

    String name() {
        return ContainerNames.container(spec.id());
    }

    List<String> environment() {
        return AgentEnvironment.of(spec, tier.tier(), platform.url(), config.serverId());
    }

    List<Bind> binds() {
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(ContainerNames.configVolume(spec.id()), new Volume(AgentEnvironment.CONFIG_PATH)));
        if (workspace != null) {
            binds.add(workspace.toBind());
        }
        if (tier.dockerSocket()) {
            binds.add(new Bind(daemonSocket(config.dockerHost()), new Volume(TierSettings.DOCKER_SOCKET)));
        }
        return binds;
    }

    /**
     * The host path of the socket of the daemon Lifeline uses, which a tier-4 agent gets as its
     * {@code /var/run/docker.sock}; the standard path when Lifeline talks to the daemon over TCP.
     */
    static String daemonSocket(String dockerHost) {
        return dockerHost.startsWith("unix://") ? dockerHost.substring("unix://".length()) : TierSettings.DOCKER_SOCKET;
    }

    /** Whether the network takes aliases: Docker's predefined networks do not. */
    boolean aliased() {
        String network = config.network();
        return network != null && isUserDefined(network);
    }

    /** Whether a network is one of the daemon's own (which the backend never creates) or not. */
    static boolean isUserDefined(String network) {
        return !List.of("bridge", "host", "none", "default").contains(network);
    }

    CreateContainerCmd toCommand(DockerClient client) {
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(new PortBinding(Ports.Binding.bindIp(LOOPBACK), AGENT_PORT))
                .withRestartPolicy(RestartPolicy.noRestart())
                .withBinds(binds())
                .withNetworkMode(config.network() == null ? "bridge" : config.network());
        tier.applyTo(host);
        if (platform.needsHostGateway()) {
            host.withExtraHosts(PlatformAddress.HOST_GATEWAY_ENTRY);
        }
        CreateContainerCmd command = client.createContainerCmd(image)
                .withName(name())
                .withEnv(environment())
                .withLabels(Labels.ofContainer(spec.id(), spec.generation(), config.serverId()))
                .withExposedPorts(AGENT_PORT)
                .withHostConfig(host);
        if (aliased()) {
            command.withAliases(name());
        }
        ImagePlatform forced = config.platform();
        if (forced != null) {
            command.withPlatform(forced.toString());
        }
        return command;
    }
}
