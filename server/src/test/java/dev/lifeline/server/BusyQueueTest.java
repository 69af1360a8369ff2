package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.StubAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call its agent cannot take now is queued durably and delivered when the agent has room; the
 * reply reaches whoever asked. Only calls the agent surely did not take are queued: it answered 429
 * (an external agent's 503 proves nothing, no backend can say it is alive), or its heartbeat said it
 * was at capacity and the call was never sent.
 */
class BusyQueueTest {
    private static final String LATER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"later\"}}";
    private static final String BUSY = "{\"error\":\"busy\"}";

    @TempDir
    Path dataDir;

    private final StubAgent agent = StubAgent.start();
    private TestServer server;

    /** An external workspace whose agent is the stub, and that agent's own client (its token). */
    private record Joined(String id, String token, ApiClient client) {}

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        agent.close();
    }

    private void start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of(
                "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true",
                "LIFELINE_SWEEP_INTERVAL_SECONDS", "3600",
                "LIFELINE_A2A_QUEUE_DRAIN_SECONDS", "3600"));
        env.putAll(settings);
        server = TestServer.start(dataDir, env);
    }

    private Joined join(String name) {
        JsonNode created = server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json();
        String id = created.get("id").asText();
        String token = created.at("/connection/auth_token").asText();
        ApiClient own = new ApiClient(server.url(), token);
        assertThat(own.post(
                                "/registry/register",
                                Map.of("id", id, "url", agent.url(), "agent_card", Map.of("name", name)))
                        .status())
                .isEqualTo(200);
        return new Joined(id, token, own);
    }

    private static void heartbeat(Joined w, int active, int capacity, boolean nativeSession) {
        Map<String, Object> beat = Map.of(
                "workspace_id",
                w.id(),
                "active_tasks",
                active,
                "max_concurrent_tasks",
                capacity,
                "runtime_metadata",
                Map.of("capabilities", Map.of("session", nativeSession)));
        assertThat(w.client().post("/registry/heartbeat", beat).status()).isEqualTo(200);
    }

    /** The agent answers 429 to its first {@code busyAnswers} requests, then {@link #LATER}. */
    private void agentBusyFor(int busyAnswers) {
        AtomicInteger seen = new AtomicInteger();
        agent.answering(r -> seen.incrementAndGet() <= busyAnswers
                ? StubAgent.Answer.json(429, BUSY)
                : StubAgent.Answer.json(200, LATER));
    }

    /** A JSON-RPC call from {@code caller}'s agent, with its id and token. */
    private ApiClient.Reply callAs(Joined caller, String target, Map<String, Object> request) {
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + target + "/a2a"))
                .header("Authorization", "Bearer " + caller.token())
                .header("X-Workspace-ID", caller.id())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(call.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("the call did not complete", e);
        }
    }

    private JsonNode queued(String workspace, long queueId) {
        return server.api.get("/workspaces/" + workspace + "/queue/" + queueId).json();
    }

    private List<String> messageIdsTheAgentSaw() {
        return agent.received().stream()
                .map(r -> Json.value(r.text()).at("/params/message/messageId").asText())
                .toList();
    }

    @Test
    void aCallTheAgentRefusedAsBusyIsQueuedAndDeliveredWhenAHeartbeatReportsRoomAndTheCanvasSeesTheReply()
            throws Exception {
        start(Map.of());
        Joined target = join("busy");
        heartbeat(target, 0, 1, false);
        agentBusyFor(1);

        ApiClient.Reply answer = server.send(target.id(), "hello");

        assertThat(answer.status()).isEqualTo(202);
        JsonNode body = answer.json();
        assertThat(body.get("queued").asBoolean()).isTrue();
        assertThat(body.get("queue_depth").asInt()).isEqualTo(1);
        assertThat(body.get("message").asText()).contains("request queued");
        long queueId = body.get("queue_id").asLong();
        assertThat(server.api
                        .get("/workspaces/" + target.id())
                        .json()
                        .get("queue_depth")
                        .asInt())
                .isEqualTo(1);
        assertThat(server.api.get("/metrics").body())
                .contains("lifeline_a2a_queue_depth{workspace_id=\"" + target.id() + "\"} 1.0");
        assertThat(queued(target.id(), queueId).get("state").asText()).isEqualTo("queued");

        try (EventRecorder canvas = EventRecorder.webSocket(server)) {
            heartbeat(target, 0, 1, false);

            await().until(() -> canvas.types(target.id()).contains("A2A_RESPONSE"));
            JsonNode response = canvas.all().stream()
                    .filter(e -> e.type().equals("A2A_RESPONSE"))
                    .findFirst()
                    .orElseThrow()
                    .payload();
            assertThat(response.at("/response_body/result/text").asText()).isEqualTo("later");
        }
        JsonNode delivered = queued(target.id(), queueId);
        assertThat(delivered.get("state").asText()).isEqualTo("delivered");
        assertThat(delivered.get("reply_status").asInt()).isEqualTo(200);
        assertThat(delivered.at("/reply/result/text").asText()).isEqualTo("later");
        List<String> ids = messageIdsTheAgentSaw();
        assertThat(ids).hasSize(2).doesNotContain("");
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
        assertThat(server.api
                        .get("/workspaces/" + target.id())
                        .json()
                        .get("queue_depth")
                        .asInt())
                .isZero();
        assertThat(server.api.get("/workspaces/" + target.id() + "/activity").body())
                .contains("later");
    }

    @Test
    void aCallToAnAgentItsHeartbeatSaysIsFullIsQueuedWithoutBeingSent() {
        start(Map.of());
        Joined target = join("full");
        heartbeat(target, 2, 2, false);
        agentBusyFor(0);

        ApiClient.Reply answer = server.send(target.id(), "hello");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(agent.received()).isEmpty();
        heartbeat(target, 1, 2, false);
        long queueId = answer.json().get("queue_id").asLong();
        await().until(() -> queued(target.id(), queueId).get("state").asText().equals("delivered"));
        assertThat(agent.received()).hasSize(1);
    }

    @Test
    void anAgentThatRetriesBusyCallsItselfKeepsItsOwnAnswerAndIsNeverHeldBack() {
        start(Map.of());
        Joined target = join("native");
        heartbeat(target, 3, 3, true);
        agentBusyFor(1);

        assertThat(server.send(target.id(), "first").status()).isEqualTo(429);
        assertThat(server.send(target.id(), "second").status()).isEqualTo(200);
        assertThat(agent.received()).hasSize(2);
    }

    @Test
    void anExternalAgentsOwn503IsRelayedNotQueuedSinceNothingProvesItAlive() {
        start(Map.of());
        Joined target = join("unknown");
        heartbeat(target, 0, 1, false);
        agent.answering(503, BUSY);

        assertThat(server.send(target.id(), "hello").status()).isEqualTo(503);
    }

    /** The reference marked such a call completed and never delivered it. */
    @Test
    void aCallBusyAgainDuringItsDrainGoesBackToTheQueueAndIsDeliveredLater() {
        start(Map.of("LIFELINE_A2A_QUEUE_BUSY_PAUSE_SECONDS", "0.2"));
        Joined target = join("twice-busy");
        heartbeat(target, 0, 1, false);
        agentBusyFor(2);
        long queueId = server.send(target.id(), "hello").json().get("queue_id").asLong();

        heartbeat(target, 0, 1, false);
        await().until(() -> agent.received().size() == 2);
        await().until(() -> queued(target.id(), queueId).get("state").asText().equals("queued"));
        assertThat(queued(target.id(), queueId).get("last_error").asText()).isEqualTo("agent answered 429");
        heartbeat(target, 0, 1, false);

        await().until(() -> queued(target.id(), queueId).get("state").asText().equals("delivered"));
        JsonNode delivered = queued(target.id(), queueId);
        assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
        assertThat(messageIdsTheAgentSaw())
                .hasSize(3)
                .containsOnly(messageIdsTheAgentSaw().getFirst());
    }

    @Test
    void aCallStillRefusedAfterItsAttemptsFailsWithTheReason() {
        start(Map.of("LIFELINE_A2A_QUEUE_MAX_ATTEMPTS", "2", "LIFELINE_A2A_QUEUE_BUSY_PAUSE_SECONDS", "0.1"));
        Joined target = join("always-busy");
        heartbeat(target, 0, 1, false);
        agentBusyFor(Integer.MAX_VALUE);
        long queueId = server.send(target.id(), "hello").json().get("queue_id").asLong();

        heartbeat(target, 0, 1, false);
        await().until(() -> queued(target.id(), queueId).get("state").asText().equals("queued")
                && agent.received().size() == 2);
        heartbeat(target, 0, 1, false);

        await().until(() -> queued(target.id(), queueId).get("state").asText().equals("failed"));
        assertThat(queued(target.id(), queueId).get("last_error").asText())
                .isEqualTo("not delivered after 2 attempts: agent answered 429");
        assertThat(agent.received()).hasSize(3);
    }

    @Test
    void aDelegationAnsweredFromTheQueueIsAnnouncedToItsCallerWhoMayReadTheReply() {
        start(Map.of());
        Joined target = join("delegate");
        Joined caller = join("boss");
        Joined stranger = join("stranger");
        heartbeat(target, 1, 1, false);
        agentBusyFor(0);
        Map<String, Object> delegation = Map.of(
                "jsonrpc",
                "2.0",
                "id",
                7,
                "method",
                "message/send",
                "params",
                Map.of(
                        "message",
                        Map.of(
                                "messageId",
                                "m-delegated",
                                "role",
                                "user",
                                "parts",
                                List.of(Map.of("kind", "text", "text", "do it")),
                                "metadata",
                                Map.of("delegation_id", "d-42"))));
        ApiClient.Reply answer = callAs(caller, target.id(), delegation);
        assertThat(answer.status()).isEqualTo(202);
        long queueId = answer.json().get("queue_id").asLong();

        heartbeat(target, 0, 1, false);

        await().until(() -> server.api.get("/events/" + caller.id()).body().contains("DELEGATION_COMPLETE"));
        JsonNode event = server.api.get("/events/" + caller.id()).json().get(0);
        assertThat(event.get("event_type").asText()).isEqualTo("DELEGATION_COMPLETE");
        JsonNode payload = event.get("payload");
        assertThat(payload.get("delegation_id").asText()).isEqualTo("d-42");
        assertThat(payload.get("target_id").asText()).isEqualTo(target.id());
        assertThat(payload.get("via").asText()).isEqualTo("queue_drain");
        assertThat(payload.get("response_preview").asText()).contains("later");
        assertThat(caller.client()
                        .get("/workspaces/" + target.id() + "/queue/" + queueId)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("delivered");
        assertThat(stranger.client()
                        .get("/workspaces/" + target.id() + "/queue/" + queueId)
                        .status())
                .isEqualTo(404);
        assertThat(caller.client().get("/workspaces/" + target.id() + "/queue").status())
                .isEqualTo(401);
        assertThat(target.client()
                        .get("/workspaces/" + target.id() + "/queue")
                        .json()
                        .get(0)
                        .get("message_id")
                        .asText())
                .isEqualTo("m-delegated");
    }

    @Test
    void dropStaleIsTheOperatorsAndChecksItsInput() {
        start(Map.of());
        Joined target = join("stale");
        heartbeat(target, 1, 1, false);
        long queueId = server.send(target.id(), "hello").json().get("queue_id").asLong();

        assertThat(target.client()
                        .post("/admin/a2a-queue/drop-stale?max_age_minutes=1", Map.of())
                        .status())
                .isEqualTo(401);
        for (String bad : List.of(
                "",
                "?max_age_minutes=abc",
                "?max_age_minutes=0",
                "?max_age_minutes=-5",
                "?max_age_minutes=99999999999")) {
            ApiClient.Reply refused = server.api.post("/admin/a2a-queue/drop-stale" + bad, Map.of());
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).contains("max_age_minutes");
        }
        assertThat(server.api
                        .post("/admin/a2a-queue/drop-stale?max_age_minutes=1&workspace_id=nope", Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(server.api
                        .post("/admin/a2a-queue/drop-stale?max_age_minutes=60", Map.of())
                        .json()
                        .get("dropped")
                        .asInt())
                .isZero();
        assertThat(queued(target.id(), queueId).get("state").asText()).isEqualTo("queued");
    }
}
