// Measures how fast Lifeline notices a SIGKILLed agent and brings it back, against a cold start
// measured in the same run. Run with: bench/recovery.sh  (figures go to BENCHMARKS.md by hand).
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.server.LifelineConfig;
import dev.lifeline.server.LifelineServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public class RecoveryBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final BlockingQueue<JsonNode> EVENTS = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_DATA_DIR", Files.createTempDirectory("lifeline-bench").toString());
        env.put("LIFELINE_ADMIN_TOKEN", "bench");
        try (LifelineServer server = LifelineServer.start(LifelineConfig.from(env), env)) {
            String base = server.baseUrl();
            HTTP.newWebSocketBuilder().header("Authorization", "Bearer bench")
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Listener()).join();
            List<Long> cold = new ArrayList<>(), offline = new ArrayList<>(), online = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                String id = post(base + "/workspaces", "{\"name\":\"bench-" + i + "\",\"runtime\":\"echo\"}").get("id").asText();
                await(id, "WORKSPACE_ONLINE");
                cold.add(System.nanoTime() - t0);
                String ref = get(base + "/workspaces/" + id).get("instance_ref").asText();
                ProcessHandle agent = ProcessHandle.of(Long.parseLong(ref.split("@")[0])).orElseThrow();
                long k = System.nanoTime();
                agent.destroyForcibly();
                await(id, "WORKSPACE_OFFLINE");
                offline.add(System.nanoTime() - k);
                await(id, "WORKSPACE_ONLINE");
                online.add(System.nanoTime() - k);
                HTTP.send(HttpRequest.newBuilder(URI.create(base + "/workspaces/" + id)).DELETE()
                        .header("Authorization", "Bearer bench").build(), HttpResponse.BodyHandlers.discarding());
            }
            System.out.printf("rounds: %d%n", rounds);
            System.out.printf("baseline: create -> WORKSPACE_ONLINE (cold start), median %d ms%n", median(cold));
            System.out.printf("SIGKILL -> WORKSPACE_OFFLINE, median %d ms (%.3f x cold start; reference sweep: 15000 ms)%n",
                    median(offline), (double) median(offline) / median(cold));
            System.out.printf("SIGKILL -> WORKSPACE_ONLINE, median %d ms (%.2f x cold start)%n",
                    median(online), (double) median(online) / median(cold));
        }
    }

    static long median(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(s.size() / 2) / 1_000_000;
    }

    static void await(String id, String type) throws InterruptedException {
        while (true) {
            JsonNode e = EVENTS.poll(60, TimeUnit.SECONDS);
            if (e == null) throw new IllegalStateException("no " + type + " for " + id);
            if (id.equals(e.path("workspace_id").asText()) && type.equals(e.path("event").asText())) return;
        }
    }

    static JsonNode post(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static JsonNode get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static JsonNode send(HttpRequest.Builder b) throws Exception {
        return JSON.readTree(HTTP.send(b.header("Authorization", "Bearer bench").build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static final class Listener implements WebSocket.Listener {
        final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    EVENTS.add(JSON.readTree(text.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
