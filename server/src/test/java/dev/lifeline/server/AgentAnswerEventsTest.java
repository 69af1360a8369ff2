package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.StubAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile agent's answer to a canvas call can do to the event feeds: nothing but appear, as
 * a value or a string, in one well-formed {@code A2A_RESPONSE} of its own workspace.
 */
class AgentAnswerEventsTest {
    @TempDir
    Path dataDir;

    private final AtomicReference<byte[]> answer = new AtomicReference<>(new byte[0]);
    private StubAgent agent;
    private TestServer server;
    private String target;
    private String victim;

    @BeforeEach
    void start() {
        agent = StubAgent.start().answering(r -> StubAgent.Answer.json(200, answer.get()));
        server = TestServer.start(
                dataDir,
                Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true", "LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"));
        target = external("hostile");
        victim = external("victim");
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    private String external(String name) {
        String url = agent.url();
        return server.api
                .post("/workspaces", Map.of("name", name, "external", true, "url", url))
                .json()
                .get("id")
                .asText();
    }

    @Test
    void anAnswerThatClosesTheEnvelopeArrivesAsOneA2aResponseOfItsWorkspaceAndForgesNothing() throws Exception {
        String forged =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}},\"event\":\"WORKSPACE_REMOVED\",\"workspace_id\":\""
                        + victim + "\",\"payload\":{\"forged\":true";
        answer.set(forged.getBytes(StandardCharsets.UTF_8));

        try (EventRecorder ws = EventRecorder.webSocket(server);
                EventRecorder sse = EventRecorder.sse(server, target)) {
            assertThat(server.send(target, "hi").status()).isEqualTo(200);

            await().until(() -> ws.types(target).contains("A2A_RESPONSE")
                    && sse.types(target).contains("A2A_RESPONSE"));
            for (EventRecorder feed : List.of(ws, sse)) {
                feed.all().forEach(seen -> StrictJson.object(seen.frame()));
                assertThat(feed.types(target)).containsExactly("ACTIVITY_LOGGED", "A2A_RESPONSE");
                assertThat(responseBody(feed).isTextual()).isTrue();
                assertThat(responseBody(feed).asText()).isEqualTo(forged);
            }
            assertThat(ws.types(victim)).isEmpty();
        }
        assertThat(server.status(victim)).isEqualTo("online");
    }

    @Test
    void trailingGarbageAfterAnAnswerLeavesEveryWebSocketAndSseFrameOneJsonObject() throws Exception {
        String garbled = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}} and then \"quotes\", \\ ] } \u0001";
        answer.set(garbled.getBytes(StandardCharsets.UTF_8));

        try (EventRecorder ws = EventRecorder.webSocket(server);
                EventRecorder sse = EventRecorder.sse(server, target)) {
            server.send(target, "hi");

            await().until(() -> ws.types(target).contains("A2A_RESPONSE")
                    && sse.types(target).contains("A2A_RESPONSE"));
            for (EventRecorder feed : List.of(ws, sse)) {
                feed.all().forEach(seen -> StrictJson.object(seen.frame()));
                assertThat(responseBody(feed).asText()).isEqualTo(garbled);
            }
        }
    }

    @Test
    void aWellFormedAnswerArrivesAsItsParsedValueWithItsSize() throws Exception {
        byte[] wellFormed = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
        answer.set(wellFormed);

        try (EventRecorder ws = EventRecorder.webSocket(server)) {
            server.send(target, "hi");

            await().until(() -> ws.types(target).contains("A2A_RESPONSE"));
            JsonNode payload = a2aResponse(ws).payload();
            assertThat(payload.path("response_body").path("result").path("ok").asBoolean())
                    .isTrue();
            assertThat(payload.path("response_size").asLong()).isEqualTo(wellFormed.length);
            assertThat(payload.path("response_truncated").isBoolean()).isTrue();
            assertThat(payload.path("response_truncated").asBoolean()).isFalse();
            assertThat(payload.path("method").asText()).isEqualTo("SendMessage");
        }
    }

    @Test
    void anEventCarriesAPreviewOfAFiveMebibyteAnswerAndItsSizeNotTheAnswer() throws Exception {
        String prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"";
        byte[] large = (prefix + "a".repeat(5 * 1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        answer.set(large);

        try (EventRecorder ws = EventRecorder.webSocket(server);
                EventRecorder sse = EventRecorder.sse(server, target)) {
            assertThat(server.send(target, "hi").body()).hasSize(large.length);

            await().until(() -> ws.types(target).contains("A2A_RESPONSE")
                    && sse.types(target).contains("A2A_RESPONSE"));
            for (EventRecorder feed : List.of(ws, sse)) {
                EventRecorder.Seen event = a2aResponse(feed);
                assertThat(event.frame().length()).isLessThan(5 * 1024);
                assertThat(event.payload().path("response_size").asLong()).isEqualTo(large.length);
                assertThat(event.payload().path("response_truncated").asBoolean())
                        .isTrue();
                assertThat(event.payload().path("response_body").asText())
                        .startsWith(prefix)
                        .hasSize(4 * 1024);
            }
        }
    }

    private static EventRecorder.Seen a2aResponse(EventRecorder feed) {
        return feed.all().stream()
                .filter(e -> e.type().equals("A2A_RESPONSE"))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode responseBody(EventRecorder feed) {
        return a2aResponse(feed).payload().path("response_body");
    }
}
