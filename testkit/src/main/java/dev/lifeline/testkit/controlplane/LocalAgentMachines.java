package dev.lifeline.testkit.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Machines that each run an agent as a local process, so the agent really registers, heartbeats and
 * dies: the process is the VM, and a killed process is a terminated VM.
 *
 * <p>The agent gets the provision's env plus {@code WORKSPACE_ID}, {@code PLATFORM_URL} and {@code
 * PORT}, as a control plane's boot script would give it. Behind a gateway, the agent binds {@code
 * 127.0.0.2:<port>} and advertises {@code http://127.0.0.1:<port>}, where a {@link FakeGateway}
 * relays to it; the gateway outlives the agent and then answers 502, like a cloud load balancer in
 * front of a dead VM.
 */
public final class LocalAgentMachines implements Machines {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final String AGENT_ADDRESS = "127.0.0.2";

    private final List<String> command;
    private final Path logDir;
    private final boolean behindGateway;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    /**
     * @param command the agent's command line, e.g. a {@code java -cp ... ReferenceAgent}
     * @param logDir where each machine's console output is kept
     * @param behindGateway whether each agent sits behind its own {@link FakeGateway}
     */
    public LocalAgentMachines(List<String> command, Path logDir, boolean behindGateway) {
        this.command = List.copyOf(command);
        this.logDir = logDir;
        this.behindGateway = behindGateway;
    }

    @Override
    public Machine boot(String instanceId, ProvisionRequest request) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(instanceId + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("LIFELINE_"));
        env.putAll(request.env());
        env.put("WORKSPACE_ID", request.workspaceId());
        env.put("PLATFORM_URL", request.platformUrl());
        int port;
        if (behindGateway) {
            FakeGateway gateway = FakeGateway.samePortOn(InetAddress.getByAddress(LOOPBACK), AGENT_ADDRESS);
            resources.add(gateway);
            port = gateway.port();
            env.put("AGENT_HOST", "127.0.0.1");
            env.put("AGENT_BIND_ADDRESS", AGENT_ADDRESS);
        } else {
            port = freePort();
        }
        env.put("PORT", Integer.toString(port));
        Process process = builder.start();
        process.getOutputStream().close();
        resources.add(process::destroyForcibly);
        return new ProcessMachine(process, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    /** Kills every agent and stops every gateway. */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
        resources.clear();
    }

    private record ProcessMachine(Process process, Path log) implements Machine {
        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String console() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
