import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.core.Provisioner;
import dev.lifeline.server.LifelineConfig;
import dev.lifeline.server.LifelineServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The harness the benchmarks share: an in-process Lifeline on a fresh data directory, its API as
 * JSON with the admin token, and its /ws event stream. Percentiles are in {@link Percentiles}.
 */
final class Bench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Bench() {}

    /**
     * Starts Lifeline on a free port, a temporary data directory and admin token {@code token}, with
     * the process environment overlaid by {@code settings}, and with {@code extraBackends}.
     */
    static LifelineServer start(String token, Map<String, String> settings, List<Provisioner> extraBackends)
            throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_DATA_DIR", Files.createTempDirectory("lifeline-bench").toString());
        env.put("LIFELINE_ADMIN_TOKEN", token);
        env.putAll(settings);
        return LifelineServer.start(LifelineConfig.from(env), env, extraBackends);
    }

    static LifelineServer start(String token, Map<String, String> settings) throws IOException {
        return start(token, settings, List.of());
    }

    /** Lifeline's HTTP API, authenticated with one bearer token; answers are parsed as JSON. */
    record Api(String base, String token) {
        static Api of(LifelineServer server) {
            return new Api(server.baseUrl(), server.adminToken());
        }

        JsonNode post(String path, String body) throws IOException, InterruptedException {
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        /** The body of a GET as text (e.g. /metrics). */
        String text(String path) throws IOException, InterruptedException {
            return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }

        int delete(String path) throws IOException, InterruptedException {
            return HTTP.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }

        /** Creates a workspace and returns its id. */
        String create(String body) throws IOException, InterruptedException {
            return post("/workspaces", body).get("id").asText();
        }

        private HttpRequest.Builder request(String path) {
            String url = path.startsWith("http") ? path : base + path;
            return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        }

        private static JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
            return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    /** Subscribes to /ws; {@code onEvent} gets each event as JSON, on the WebSocket's thread. */
    static WebSocket subscribe(LifelineServer server, Consumer<JsonNode> onEvent) {
        return subscribe(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), server.adminToken(), onEvent);
    }

    /** Subscribes to the event WebSocket at {@code uri} (a server started elsewhere) with {@code token}. */
    static WebSocket subscribe(URI uri, String token, Consumer<JsonNode> onEvent) {
        return HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, new Listener(onEvent))
                .join();
    }

    /** The events of one subscription, in order, to wait on one at a time. */
    static final class Events {
        private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();

        static Events of(LifelineServer server) {
            Events events = new Events();
            subscribe(server, events.queue::add);
            return events;
        }

        /** Waits for {@code type} on workspace {@code id}, dropping the events before it. */
        void await(String id, String type, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                JsonNode e = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new IllegalStateException("no " + type + " for " + id + " within " + limit);
                }
                if (id.equals(e.path("workspace_id").asText()) && type.equals(e.path("event").asText())) {
                    return;
                }
            }
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final Consumer<JsonNode> onEvent;

        Listener(Consumer<JsonNode> onEvent) {
            this.onEvent = onEvent;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    onEvent.accept(JSON.readTree(text.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
