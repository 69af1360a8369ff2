package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X-Timeout and the idle window bound a call; heartbeats keep a long call alive; the agent is not recycled. */
class ProxyTimeoutsTest {
    @TempDir
    Path dataDir;

    private TestServer server;

    @AfterEach
    void stop() {
        for (var w : server.api.get("/workspaces").json()) {
            server.api.delete("/workspaces/" + w.get("id").asText());
        }
        server.close();
    }

    private String onlineEcho(Map<String, String> env) {
        server = TestServer.start(dataDir, env);
        String id = server.create("slow", "echo", "process");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status(id).equals("online"));
        return id;
    }

    private HttpResponse<String> send(String id, String text, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(DemoCommand.message(text))));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void xTimeoutCutsOffASlowCallAsBusyWithoutRecyclingTheAgent() throws Exception {
        String id = onlineEcho(Map.of());

        HttpResponse<String> r = send(id, "!hang 5", "X-Timeout", "1");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(r.body()).contains("\"busy\":true");
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(server.generation(id)).isEqualTo(1);
    }

    @Test
    void aMalformedXTimeoutIsA400() throws Exception {
        String id = onlineEcho(Map.of());
        HttpResponse<String> r = send(id, "hi", "X-Timeout", "soon");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("X-Timeout must be a whole number of seconds");
    }

    @Test
    void aCallToAWorkspaceThatStaysSilentForTheIdleWindowIsCutOff() throws Exception {
        String id =
                onlineEcho(Map.of("LIFELINE_A2A_IDLE_TIMEOUT_SECONDS", "2", "LIFELINE_AGENT_HEARTBEAT_SECONDS", "60"));

        HttpResponse<String> r = send(id, "!hang 6");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"busy\":true");
        assertThat(server.generation(id)).isEqualTo(1);
    }

    @Test
    void heartbeatsKeepALongCallAliveBeyondTheIdleWindow() throws Exception {
        String id =
                onlineEcho(Map.of("LIFELINE_A2A_IDLE_TIMEOUT_SECONDS", "2", "LIFELINE_AGENT_HEARTBEAT_SECONDS", "0.5"));

        HttpResponse<String> r = send(id, "!hang 4");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("echo: !hang 4");
    }

    @Test
    void aCallerThatHangsUpDoesNotCancelTheAgentsWork() throws Exception {
        String id = onlineEcho(Map.of());
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .timeout(Duration.ofMillis(500))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(DemoCommand.message("!hang 2"))))
                .build();

        try (HttpClient impatient = HttpClient.newHttpClient()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> impatient.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.http.HttpTimeoutException.class);
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        server.api.get("/workspaces/" + id + "/activity").json().size() == 1);
        var row = server.api.get("/workspaces/" + id + "/activity").json().get(0);
        assertThat(row.get("status").asText()).isEqualTo("ok");
        assertThat(row.get("response_body").toString()).contains("echo: !hang 2");
    }
}
