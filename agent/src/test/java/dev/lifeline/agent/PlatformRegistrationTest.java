package dev.lifeline.agent;

import static dev.lifeline.agent.AgentClient.sendRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformRegistrationTest {

    private static final String TOKEN = "tok-s3cr3t-value";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakePlatform platform = new FakePlatform();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final AtomicInteger exitStatus = new AtomicInteger(-1);
    private ReferenceAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        platform.close();
    }

    @Test
    void registersWithTheBearerTokenItsUrlAndItsAgentCard() {
        agent = start(Map.of());

        await().atMost(WAIT).until(() -> !platform.calls(FakePlatform.REGISTER).isEmpty());
        FakePlatform.Call register = platform.calls(FakePlatform.REGISTER).getFirst();
        assertThat(register.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(register.body().get("id").asText()).isEqualTo("ws-1");
        assertThat(register.body().get("url").asText()).isEqualTo(agent.url().toString());
        assertThat(register.body().at("/agent_card/supportedInterfaces/0/url").asText())
                .isEqualTo(agent.url().toString());
        assertThat(register.body().get("agent_card").has("url"))
                .as("the 1.0 card is registered")
                .isFalse();
        assertThat(register.body().at("/agent_card/skills/0/id").asText()).isEqualTo("echo");
    }

    @Test
    void heartbeatsRepeatAtTheConfiguredInterval() {
        agent = start(Map.of());

        await().atMost(WAIT).until(() -> platform.calls(FakePlatform.HEARTBEAT).size() >= 4);
        List<FakePlatform.Call> beats = platform.calls(FakePlatform.HEARTBEAT);
        for (int i = 1; i < beats.size(); i++) {
            assertThat(Duration.between(beats.get(i - 1).at(), beats.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
        JsonNode body = beats.getFirst().body();
        assertThat(body.get("workspace_id").asText()).isEqualTo("ws-1");
        assertThat(body.get("error_rate").asDouble()).isZero();
        assertThat(body.get("active_tasks").asInt()).isZero();
        assertThat(body.has("sample_error")).isTrue();
        assertThat(body.has("uptime_seconds")).isTrue();
        assertThat(body.has("current_task")).isTrue();
        assertThat(beats.getFirst().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void heartbeatsReportTheShareOfRequestsAnsweredWith5xx() throws Exception {
        agent = start(Map.of());
        try (AgentClient client = new AgentClient(agent.url())) {
            client.post(sendRequest(1, "SendMessage", "!status 502", false));
            client.post(sendRequest(2, "SendMessage", "fine", false));
        }

        await().atMost(WAIT).until(() -> platform.calls(FakePlatform.HEARTBEAT).stream()
                .map(FakePlatform.Call::body)
                .anyMatch(beat -> beat.get("error_rate").asDouble() == 0.5));
        JsonNode beat = platform.calls(FakePlatform.HEARTBEAT).getLast().body();
        assertThat(beat.get("error_rate").asDouble()).isEqualTo(0.5);
        assertThat(beat.get("sample_error").asText()).isEqualTo("answered HTTP 502");
    }

    @Test
    void retriesRegistrationUntilThePlatformAccepts() {
        platform.answer(FakePlatform.REGISTER, n -> n < 3 ? 503 : 200);

        agent = start(Map.of());

        await().atMost(WAIT).until(() -> !platform.calls(FakePlatform.HEARTBEAT).isEmpty());
        assertThat(platform.calls(FakePlatform.REGISTER)).hasSize(3);
        assertThat(exitStatus.get()).isEqualTo(-1);
    }

    @Test
    void givesUpAndExitsWhenThePlatformKeepsRejectingTheRegistration() {
        platform.answer(FakePlatform.REGISTER, n -> 404);

        agent = start(Map.of());

        await().atMost(WAIT).until(() -> exitStatus.get() == 1);
        assertThat(platform.calls(FakePlatform.REGISTER)).hasSize(PlatformLink.MAX_REJECTIONS);
        assertThat(log()).contains("unknown workspace").contains("giving up");
    }

    @Test
    void keepsHeartbeatingWhenThePlatformFailsHeartbeats() {
        platform.answer(FakePlatform.HEARTBEAT, n -> n <= 2 ? 500 : 200);

        agent = start(Map.of());

        await().atMost(WAIT).until(() -> platform.calls(FakePlatform.HEARTBEAT).size() >= 4);
        assertThat(log())
                .contains("heartbeat failed: platform answered HTTP 500")
                .contains("heartbeat accepted again");
        assertThat(exitStatus.get()).isEqualTo(-1);
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAToken() {
        agent = start(Map.of("WORKSPACE_AUTH_TOKEN", ""));

        await().atMost(WAIT).until(() -> !platform.calls(FakePlatform.HEARTBEAT).isEmpty());
        assertThat(platform.calls(FakePlatform.REGISTER).getFirst().authorization())
                .isEmpty();
    }

    @Test
    void usesTheTokenThePlatformIssuesOnRegistration() {
        platform.registerAnswerBody("{\"status\":\"registered\",\"auth_token\":\"issued-token\"}");

        agent = start(Map.of("WORKSPACE_AUTH_TOKEN", ""));

        await().atMost(WAIT).until(() -> !platform.calls(FakePlatform.HEARTBEAT).isEmpty());
        assertThat(platform.calls(FakePlatform.HEARTBEAT).getFirst().authorization())
                .isEqualTo("Bearer issued-token");
    }

    @Test
    void neverWritesTheTokenToTheLog() {
        agent = start(Map.of());

        await().atMost(WAIT).until(() -> platform.calls(FakePlatform.HEARTBEAT).size() >= 2);
        agent.close();
        assertThat(log()).contains("registered workspace=ws-1").doesNotContain(TOKEN);
    }

    private ReferenceAgent start(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "PORT", "0",
                "WORKSPACE_ID", "ws-1",
                "PLATFORM_URL", platform.url().toString(),
                "WORKSPACE_AUTH_TOKEN", TOKEN,
                "HEARTBEAT_INTERVAL_SECONDS", "0.2"));
        env.putAll(overrides);
        return ReferenceAgent.start(
                AgentConfig.fromEnvironment(env), exitStatus::set, new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return logs.toString(StandardCharsets.UTF_8);
    }
}
