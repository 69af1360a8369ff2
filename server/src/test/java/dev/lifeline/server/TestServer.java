package dev.lifeline.server;

import dev.lifeline.core.Provisioner;
import dev.lifeline.server.edge.EdgeRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real Lifeline server on a free port, tuned for tests: fast sweeps and heartbeats. */
final class TestServer implements AutoCloseable {
    static final String ADMIN_TOKEN = "test-admin-token";

    final LifelineServer server;
    final ApiClient api;

    private TestServer(LifelineServer server) {
        this.server = server;
        this.api = new ApiClient(server.baseUrl(), ADMIN_TOKEN);
    }

    static TestServer start(Path dataDir, Provisioner... extraBackends) {
        return start(dataDir, Map.of(), extraBackends);
    }

    static TestServer start(Path dataDir, Map<String, String> overrides, Provisioner... extraBackends) {
        Map<String, String> env = env(dataDir, overrides);
        return new TestServer(LifelineServer.start(LifelineConfig.from(env), env, List.of(extraBackends)));
    }

    /** A server whose edge also serves {@code routes}. */
    static TestServer withEdgeRoutes(Path dataDir, Map<String, String> overrides, List<EdgeRoute> routes) {
        Map<String, String> env = env(dataDir, overrides);
        return new TestServer(LifelineServer.start(LifelineConfig.from(env), env, List.of(), routes));
    }

    private static Map<String, String> env(Path dataDir, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_DATA_DIR", dataDir.toString());
        env.put("LIFELINE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("LIFELINE_SWEEP_INTERVAL_SECONDS", "1");
        env.put("LIFELINE_AGENT_HEARTBEAT_SECONDS", "1");
        env.put("LIFELINE_HEARTBEAT_TTL_SECONDS", "30");
        env.put("LIFELINE_STOP_GRACE_SECONDS", "2");
        env.putAll(overrides);
        return env;
    }

    String url() {
        return server.baseUrl();
    }

    /** Creates a workspace and returns its id. */
    String create(String name, String runtime, String backend) {
        ApiClient.Reply r = api.post("/workspaces", Map.of("name", name, "runtime", runtime, "backend", backend));
        if (r.status() != 201) {
            throw new AssertionError("create failed: " + r.status() + " " + r.body());
        }
        return r.json().get("id").asText();
    }

    String status(String id) {
        return api.get("/workspaces/" + id).json().get("status").asText();
    }

    long generation(String id) {
        return api.get("/workspaces/" + id).json().get("generation").asLong();
    }

    ApiClient.Reply send(String id, String text) {
        return api.post("/workspaces/" + id + "/a2a", DemoCommand.message(text));
    }

    /** Sends a message whose caller will not wait for a restarting workspace ({@code Prefer: wait=0}). */
    ApiClient.Reply sendAtOnce(String id, String text) {
        return send(id, text, Map.of("Prefer", "wait=0"));
    }

    /** Sends a message with extra request headers. */
    ApiClient.Reply send(String id, String text, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/workspaces/" + id + "/a2a"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(70))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(DemoCommand.message(text))));
        headers.forEach(request::header);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
