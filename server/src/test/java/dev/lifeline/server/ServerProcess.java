package dev.lifeline.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lifeline run as its own OS process ({@code serve} in a JVM on this test's class path), so that a
 * test can SIGKILL it. It runs at test tempo (1 s sweeps and agent heartbeats, 2 s stop grace)
 * unless the settings say otherwise; its output is appended to a log file.
 */
final class ServerProcess {
    static final Duration BOOT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final ApiClient api;

    private ServerProcess(Process process, int port, Path dataDir, String adminToken) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.api = new ApiClient(url(), adminToken);
    }

    /** Starts a server and waits until it answers {@code /health}; fails at once if it exits. */
    static ServerProcess launch(int port, Path dataDir, String adminToken, Path log, Map<String, String> settings)
            throws IOException {
        return start(port, dataDir, adminToken, log, settings).awaitReady();
    }

    /** Starts a server without waiting for it, so that several can boot at once. */
    static ServerProcess start(int port, Path dataDir, String adminToken, Path log, Map<String, String> settings)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Runtimes.javaBinary(),
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("LIFELINE_"));
        env.put("LIFELINE_PORT", Integer.toString(port));
        env.put("LIFELINE_DATA_DIR", dataDir.toString());
        env.put("LIFELINE_ADMIN_TOKEN", adminToken);
        env.put("LIFELINE_AGENT_HEARTBEAT_SECONDS", "1");
        env.put("LIFELINE_SWEEP_INTERVAL_SECONDS", "1");
        env.put("LIFELINE_STOP_GRACE_SECONDS", "2");
        env.putAll(settings);
        Process process = builder.start();
        process.getOutputStream().close();
        return new ServerProcess(process, port, dataDir, adminToken);
    }

    ServerProcess awaitReady() {
        await().atMost(BOOT)
                .ignoreExceptions()
                .failFast("the server exited; see its log", () -> !process.isAlive())
                .until(() -> api.get("/health").status() == 200);
        return this;
    }

    ApiClient api() {
        return api;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The id this server labels its agents with (in its data directory once it has started). */
    String serverId() throws IOException {
        return AgentProcesses.serverIdOf(dataDir);
    }

    /** SIGKILLs the server and waits until it is gone; its agents are left to whatever happens to them. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server pid " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** Asks the server to stop (SIGTERM), and SIGKILLs it if it has not within 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            crash();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
