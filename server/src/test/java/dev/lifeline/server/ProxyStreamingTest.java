package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event streams pass through Lifeline as they happen, with keep-alives, and end clearly when the agent dies. */
class ProxyStreamingTest {
    @TempDir
    Path dataDir;

    private TestServer server;
    private String id;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
        id = server.create("streamer", "echo", "process");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status(id).equals("online"));
    }

    @AfterEach
    void stop() {
        server.api.delete("/workspaces/" + id);
        server.close();
    }

    /** Sends SendStreamingMessage and collects the raw lines of the answer as they arrive. */
    private HttpResponse<java.util.stream.Stream<String>> stream(String text) throws Exception {
        String body = Json.write(Map.of(
                "method",
                "SendStreamingMessage",
                "params",
                Map.of("message", Map.of("role", "ROLE_USER", "parts", List.of(Map.of("text", text))))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void aSixtySecondStreamWithTwentySecondGapsReachesTheCallerEventByEvent() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = stream("!stream-gaps 4 20");
        List<String> lines = response.body().filter(l -> !l.isEmpty()).toList();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        List<String> kinds = lines.stream()
                .map(l -> l.startsWith(":") ? "keep-alive" : l.startsWith("data:") ? "event" : "other")
                .toList();
        // A keep-alive can only sit between two events if the first one was delivered before the gap.
        assertThat(String.join(",", kinds)).containsPattern("event,(keep-alive,)+event,(keep-alive,)+event");
    }

    @Test
    void aStreamingCallToAKilledAgentWaitsForItsNextIncarnationAndThenStreams() throws Exception {
        long pid = DemoCommand.pid(
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText());
        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().join();

        HttpResponse<java.util.stream.Stream<String>> response = stream("!stream-gaps 3 0.1");
        List<String> events = response.body().filter(l -> l.startsWith("data:")).toList();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Lifeline-Held-Ms")).isPresent();
        assertThat(events).hasSizeGreaterThanOrEqualTo(3).noneMatch(e -> e.contains("\"error\""));
        assertThat(server.generation(id)).isEqualTo(2);
    }

    @Test
    void anAgentDyingMidStreamEndsTheStreamWithAnErrorAndIsRestarted() throws Exception {
        long pid = DemoCommand.pid(
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText());
        List<String> received = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                stream("!stream-gaps 30 1").body().forEach(received::add);
            } catch (Exception e) {
                received.add("client error: " + e);
            }
        });
        await().until(() -> received.stream().anyMatch(l -> l.startsWith("data:")));

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        reader.join(Duration.ofSeconds(30));

        String last = received.stream()
                .filter(l -> l.startsWith("data:"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(last).contains("\"error\"").contains("\"restarting\":true");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.generation(id) == 2 && server.status(id).equals("online"));
    }
}
