package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifeline run as its own OS process with secrets in its environment, under the names the
 * reference and its operators use, and a real agent it starts: what the agent's {@code
 * /proc/<pid>/environ} holds. The secrets reach the server the one way they can reach an agent, so
 * this is the test that sees a leak.
 */
class AgentEnvironmentIsolationTest {
    private static final String ADMIN_TOKEN = "isolation-test-admin-token";
    private static final Map<String, String> SERVER_SECRETS = Map.of(
            "MOLECULE_CP_SHARED_SECRET", "cp-shared-secret-value",
            "ADMIN_TOKEN", "reference-admin-token-value",
            "CP_ADMIN_API_TOKEN", "cp-admin-api-token-value",
            "CP_PROVISION_URL", "http://127.0.0.1:9/cp-url-value",
            "MOLECULE_ORG_ID", "org-id-value",
            "PGPASSWORD", "database-password-value",
            "AWS_SECRET_ACCESS_KEY", "cloud-secret-key-value");
    private static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    @TempDir
    static Path logDir;

    private static Process server;
    private static String baseUrl;
    private static ApiClient api;
    private static String workspace;
    private static Map<String, String> agentEnv;

    @BeforeAll
    static void startAServerWithSecretsAndOneAgent() throws IOException {
        assumeTrue(AgentProcesses.readable(), "needs Linux's /proc to read an agent's environment");
        int port = freePort();
        baseUrl = "http://127.0.0.1:" + port;
        api = new ApiClient(baseUrl, ADMIN_TOKEN);
        launch(port);
        ApiClient.Reply created = api.post("/workspaces", Map.of("name", "isolated", "runtime", "echo"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        workspace = created.json().get("id").asText();
        await().atMost(BOOT)
                .until(() -> FleetRow.all(api).get(workspace).status().equals("online"));
        long pid = DemoCommand.pid(FleetRow.all(api).get(workspace).instanceRef());
        agentEnv = AgentProcesses.environOf(pid);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (server == null) {
            return;
        }
        try {
            if (workspace != null) {
                api.delete("/workspaces/" + workspace);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            System.out.println("---- server log ----");
            System.out.println(Files.readString(logDir.resolve("server.log")));
        }
    }

    @Test
    void theServersSecretsNeverReachAnAgentProcess() {
        assertThat(agentEnv).doesNotContainKeys(SERVER_SECRETS.keySet().toArray(String[]::new));
        assertThat(agentEnv.values()).doesNotContainAnyElementsOf(SERVER_SECRETS.values());
        assertThat(agentEnv.keySet())
                .filteredOn(name -> name.startsWith("LIFELINE_"))
                .containsOnly("LIFELINE_SERVER_ID", "LIFELINE_WORKSPACE_ID", "LIFELINE_GENERATION");
        assertThat(agentEnv.values()).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void anAgentProcessHasPathItsWorkspaceVariablesAndWhatTheOperatorAllowed() {
        assertThat(agentEnv)
                .containsEntry("PATH", System.getenv("PATH"))
                .containsEntry("WORKSPACE_ID", workspace)
                .containsEntry("PLATFORM_URL", baseUrl)
                .containsEntry("HEARTBEAT_INTERVAL_SECONDS", "1.0")
                .containsEntry("MODEL_PROVIDER_KEY", "allowed-by-the-operator")
                .containsKey("WORKSPACE_AUTH_TOKEN");
    }

    /** Starts Lifeline as its own JVM on this test's class path and waits until it answers. */
    private static void launch(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Runtimes.javaBinary(),
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve("server.log").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("LIFELINE_"));
        env.putAll(SERVER_SECRETS);
        env.put("MODEL_PROVIDER_KEY", "allowed-by-the-operator");
        env.put("LIFELINE_AGENT_ENV_ALLOW", "MODEL_PROVIDER_KEY");
        env.put("LIFELINE_PORT", Integer.toString(port));
        env.put("LIFELINE_DATA_DIR", dataDir.toString());
        env.put("LIFELINE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("LIFELINE_AGENT_HEARTBEAT_SECONDS", "1");
        Process process = builder.start();
        server = process;
        process.getOutputStream().close();
        await().atMost(BOOT)
                .ignoreExceptions()
                .failFast("the server exited; its log is printed after the tests", () -> !process.isAlive())
                .until(() -> api.get("/health").status() == 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
