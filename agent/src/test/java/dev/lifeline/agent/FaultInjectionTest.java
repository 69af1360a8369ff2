package dev.lifeline.agent;

import static dev.lifeline.agent.AgentClient.sendRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private final AtomicInteger exitStatus = new AtomicInteger(-1);
    private final ReferenceAgent agent = ReferenceAgent.start(
            AgentConfig.standalone(0), exitStatus::set, new PrintStream(OutputStream.nullOutputStream()));
    private final AgentClient client = new AgentClient(agent.url());

    @AfterEach
    void stop() {
        agent.close();
        client.close();
    }

    @Test
    void statusFaultAnswersTheRequestedHttpStatusWithAJsonBody() throws Exception {
        HttpResponse<String> response = client.post(sendRequest(1, "message/send", "!status 502", true));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(AgentClient.JSON.readTree(response.body()).get("status").asInt())
                .isEqualTo(502);
    }

    @Test
    void statusFaultAlsoAppliesToStreamingMethods() throws Exception {
        HttpResponse<String> response = client.post(sendRequest(1, "SendStreamingMessage", "!status 503", false));

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void aStatusOutsideHttpRangeAnswersInvalidParams() throws Exception {
        JsonNode body = client.call(sendRequest(1, "SendMessage", "!status 700", false));

        assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void hangFaultDelaysTheAnswerThenEchoes() throws Exception {
        Instant before = Instant.now();

        JsonNode body = client.call(sendRequest(1, "SendMessage", "!hang 0.3", false));

        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(body.at("/result/message/parts/0/text").asText()).isEqualTo("echo: !hang 0.3");
    }

    @Test
    void streamGapsSendsTheRequestedNumberOfChunksSpacedApart() throws Exception {
        Instant before = Instant.now();

        HttpResponse<String> response = client.post(sendRequest(1, "message/stream", "!stream-gaps 4 0.1", true));

        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        List<JsonNode> events = AgentClient.events(response.body());
        long chunks = events.stream()
                .filter(e -> e.at("/result/kind").asText().equals("artifact-update"))
                .count();
        assertThat(chunks).isEqualTo(4);
        assertThat(events.getLast().at("/result/final").asBoolean()).isTrue();
    }

    @Test
    void exitFaultAnswersThenExitsWithStatusOne() throws Exception {
        JsonNode body = client.call(sendRequest(1, "message/send", "!exit", true));

        assertThat(body.at("/result/parts/0/text").asText()).isEqualTo("echo: !exit");
        await().atMost(Duration.ofSeconds(3)).until(() -> exitStatus.get() == 1);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThatThrownBy(() -> client.get("/health"))
                .isInstanceOf(IOException.class));
    }

    @Test
    void unknownBangWordsAreEchoedLikeAnyText() throws Exception {
        JsonNode body = client.call(sendRequest(1, "SendMessage", "!dance", false));

        assertThat(body.at("/result/message/parts/0/text").asText()).isEqualTo("echo: !dance");
        assertThat(exitStatus.get()).isEqualTo(-1);
    }
}
