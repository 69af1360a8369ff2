package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.StubAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workspace whose agent the operator runs: it joins with its token and goes offline on silence alone. */
class ExternalWorkspaceTest {
    @TempDir
    Path dataDir;

    private final StubAgent agent =
            StubAgent.start().answering(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"from\":\"external\"}}");
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(
                dataDir, Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true", "LIFELINE_HEARTBEAT_TTL_SECONDS", "2"));
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    private String agentUrl() {
        return agent.url();
    }

    @Test
    void anExternalAgentJoinsWithItsTokenIsProxiedAndGoesOfflineWhenItFallsSilent() {
        ApiClient.Reply created = server.api.post("/workspaces", Map.of("name", "byo", "external", true));
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asText();
        assertThat(body.get("status").asText()).isEqualTo("awaiting_agent");
        JsonNode connection = body.get("connection");
        assertThat(connection.get("registry_endpoint").asText()).endsWith("/registry/register");
        ApiClient operatorsAgent =
                new ApiClient(server.url(), connection.get("auth_token").asText());

        ApiClient.Reply registered = operatorsAgent.post(
                "/registry/register", Map.of("id", id, "url", agentUrl(), "agent_card", Map.of("name", "byo")));

        assertThat(registered.status()).isEqualTo(200);
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(server.send(id, "hi").body()).contains("\"from\":\"external\"");

        await().atMost(Duration.ofSeconds(15)).until(() -> server.status(id).equals("offline"));
        assertThat(server.generation(id)).isEqualTo(1);
        operatorsAgent.post("/registry/heartbeat", Map.of("workspace_id", id));
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(server.api.post("/workspaces/" + id + "/restart", Map.of()).status())
                .isEqualTo(409);
    }

    @Test
    void anExternalWorkspaceGivenAUrlIsOnlineAtOnceAndItsUrlIsChecked() {
        ApiClient.Reply online =
                server.api.post("/workspaces", Map.of("name", "ready", "external", true, "url", agentUrl()));
        ApiClient.Reply metadata = server.api.post(
                "/workspaces",
                Map.of("name", "evil", "external", true, "url", "http://169.254.169.254/latest/meta-data"));

        assertThat(online.status()).isEqualTo(201);
        assertThat(online.json().get("status").asText()).isEqualTo("online");
        assertThat(server.send(online.json().get("id").asText(), "hi").status()).isEqualTo(200);
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.json().get("error").asText()).contains("169.254.0.0/16");
    }
}
