package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.StubAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifeline run as its own OS process and SIGKILLed while it delivers a queued call. The next server
 * on the same data directory delivers every queued call: the one cut off is sent again with the
 * message id the agent already saw, and the one answered before the crash is never sent again.
 */
class QueueCrashTest {
    private static final String ADMIN_TOKEN = "queue-crash-admin-token";
    private static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    private final CountDownLatch crashed = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final StubAgent agent = StubAgent.start().answering(r -> {
        if (requests.incrementAndGet() == 2) { // the second delivery is under way when the server dies
            try {
                crashed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return StubAgent.Answer.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}");
    });
    private int port;
    private ApiClient api;
    private Process server;

    @AfterEach
    void stop() throws Exception {
        crashed.countDown();
        agent.close();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            System.out.println("---- server log ----");
            System.out.println(Files.readString(logDir.resolve("server.log")));
        }
    }

    @Test
    void aServerKilledDuringADrainLosesNoQueuedCallAndSendsNoAnsweredOneAgain() throws Exception {
        port = freePort();
        api = new ApiClient("http://127.0.0.1:" + port, ADMIN_TOKEN);
        launch();
        JsonNode created = api.post("/workspaces", Map.of("name", "crashy", "external", true))
                .json();
        String id = created.get("id").asText();
        ApiClient own = new ApiClient(
                "http://127.0.0.1:" + port, created.at("/connection/auth_token").asText());
        own.post("/registry/register", Map.of("id", id, "url", agent.url(), "agent_card", Map.of()));
        heartbeat(own, id, 1);
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messageIds.add("crash-" + i);
            assertThat(send(id, "crash-" + i).status()).isEqualTo(202);
        }
        assertThat(agent.received()).isEmpty();

        heartbeat(own, id, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.received().size() == 2);
        server.destroyForcibly(); // SIGKILL while the second delivery waits for its answer
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        crashed.countDown();
        launch();
        heartbeat(own, id, 0);

        await().atMost(Duration.ofSeconds(60)).until(() -> states(id).stream().allMatch("delivered"::equals));
        List<String> seen = agent.received().stream()
                .map(r -> Json.value(r.text()).at("/params/message/messageId").asText())
                .toList();
        assertThat(seen.subList(0, 2)).containsExactly(messageIds.get(0), messageIds.get(1));
        assertThat(seen)
                .as("the answered call never again, the cut-off one again with its id, the waiting one once")
                .containsExactlyInAnyOrder(messageIds.get(0), messageIds.get(1), messageIds.get(1), messageIds.get(2));
    }

    private List<String> states(String id) {
        return StreamSupport.stream(
                        api.get("/workspaces/" + id + "/queue").json().spliterator(), false)
                .map(c -> c.get("state").asText())
                .toList();
    }

    private static void heartbeat(ApiClient own, String id, int active) {
        assertThat(own.post(
                                "/registry/heartbeat",
                                Map.of("workspace_id", id, "active_tasks", active, "max_concurrent_tasks", 1))
                        .status())
                .isEqualTo(200);
    }

    private ApiClient.Reply send(String id, String messageId) {
        return api.post(
                "/workspaces/" + id + "/a2a",
                Map.of(
                        "method",
                        "message/send",
                        "params",
                        Map.of("message", Map.of("messageId", messageId, "role", "user", "parts", List.of()))));
    }

    /** Starts Lifeline as its own JVM on this test's class path and waits until it answers. */
    private void launch() throws IOException {
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
        env.put("LIFELINE_PORT", Integer.toString(port));
        env.put("LIFELINE_DATA_DIR", dataDir.toString());
        env.put("LIFELINE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true");
        env.put("LIFELINE_A2A_QUEUE_DRAIN_SECONDS", "0.5");
        env.put("LIFELINE_A2A_QUEUE_LEASE_SECONDS", "6");
        Process process = builder.start();
        server = process;
        process.getOutputStream().close();
        await().atMost(BOOT)
                .ignoreExceptions()
                .failFast("the server exited; its log is printed after the test", () -> !process.isAlive())
                .until(() -> api.get("/health").status() == 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
