package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.StubAgent;
import java.io.IOException;
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
    private static final Map<String, String> SETTINGS = Map.of(
            "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true",
            "LIFELINE_A2A_QUEUE_DRAIN_SECONDS", "0.5",
            "LIFELINE_A2A_QUEUE_LEASE_SECONDS", "6");

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
    private ServerProcess server;

    @AfterEach
    void stop() throws Exception {
        crashed.countDown();
        agent.close();
        if (server != null) {
            server.stop();
            System.out.println("---- server log ----");
            System.out.println(Files.readString(logDir.resolve("server.log")));
        }
    }

    @Test
    void aServerKilledDuringADrainLosesNoQueuedCallAndSendsNoAnsweredOneAgain() throws Exception {
        port = ServerProcess.freePort();
        launch();
        api = server.api();
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
        server.crash(); // SIGKILL while the second delivery waits for its answer
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

    /** Starts Lifeline as its own JVM on the same port and data directory, and waits until it answers. */
    private void launch() throws IOException {
        server = ServerProcess.launch(port, dataDir, ADMIN_TOKEN, logDir.resolve("server.log"), SETTINGS);
    }
}
