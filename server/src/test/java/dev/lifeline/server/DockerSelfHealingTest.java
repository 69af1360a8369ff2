package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.agent.ReferenceAgent;
import dev.lifeline.testkit.DockerEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central promise on the Docker backend: a real server, the reference agent in a container on
 * a real Docker Engine, killed with {@code docker kill}.
 */
class DockerSelfHealingTest {
    private static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private TestServer server;

    @BeforeEach
    void startServer() {
        String host = DockerEngine.dockerHost();
        String image = DockerEngine.agentImageOf(
                ReferenceAgent.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class);
        // Agents in containers reach Lifeline through the bridge gateway, so it listens beyond loopback.
        // A slow sweep leaves the detection to Docker's event stream, which the metric then proves.
        server = TestServer.start(
                dataDir,
                Map.of(
                        "LIFELINE_SWEEP_INTERVAL_SECONDS", "120",
                        "LIFELINE_BIND", "0.0.0.0",
                        "LIFELINE_BACKEND", "docker",
                        "LIFELINE_DOCKER_HOST", host,
                        "LIFELINE_DOCKER_NETWORK", "lifeline-test",
                        "LIFELINE_IMAGE_ECHO", image));
    }

    @AfterEach
    void stopServer() {
        for (var w : server.api.get("/workspaces").json()) {
            String id = w.get("id").asText();
            server.api.delete("/workspaces/" + id);
            String volumes =
                    DockerEngine.docker("volume", "ls", "-q", "--filter", "label=dev.lifeline.workspace-id=" + id);
            if (!volumes.isBlank()) {
                DockerEngine.docker(Stream.concat(Stream.of("volume", "rm"), Stream.of(volumes.split("\\s+")))
                        .toArray(String[]::new));
            }
        }
        server.close();
    }

    @Test
    void aContainerKilledWithDockerKillGoesOfflineComesBackByItselfAndEchoesAgain() throws Exception {
        String id = server.create("docker-victim", "echo", "docker");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        assertThat(server.send(id, "hello").body()).contains("echo: hello");
        String container =
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText();

        try (EventRecorder stream = EventRecorder.sse(server, id)) {
            DockerEngine.docker("kill", container);

            await().atMost(BOOT).until(() -> stream.lifecycle(id).contains("WORKSPACE_ONLINE"));
            assertThat(stream.lifecycle(id))
                    .containsExactly("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE");
        }
        assertThat(server.send(id, "welcome back").body()).contains("echo: welcome back");
        assertThat(server.generation(id)).isEqualTo(2);
        assertThat(server.api
                        .get("/workspaces/" + id)
                        .json()
                        .get("instance_ref")
                        .asText())
                .isNotEqualTo(container);
        assertThat(server.api.get("/metrics").body())
                .contains("lifeline_deaths_detection_seconds_count{layer=\"backend_watch\"");
    }
}
