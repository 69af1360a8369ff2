// Measures the Docker backend: how long a workspace takes to come online in a container, and how
// fast Lifeline notices `docker kill` and brings the agent back; the baseline is a plain `docker run`
// of the same image until its agent card answers, in the same run. Run with: bench/docker.sh
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public class DockerBench {
    static final String IMAGE = "lifeline/reference-agent:bench";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final BlockingQueue<JsonNode> EVENTS = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            plain.add(plainDockerRun());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_BIND", "0.0.0.0");
        env.put("LIFELINE_DATA_DIR", Files.createTempDirectory("lifeline-bench").toString());
        env.put("LIFELINE_ADMIN_TOKEN", "bench");
        env.put("LIFELINE_BACKEND", "docker");
        env.put("LIFELINE_DOCKER_HOST", System.getenv("DOCKER_HOST"));
        env.put("LIFELINE_DOCKER_NETWORK", "lifeline-bench");
        env.put("LIFELINE_IMAGE_ECHO", IMAGE);
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
                String container = get(base + "/workspaces/" + id).get("instance_ref").asText();
                long k = System.nanoTime();
                docker("kill", container);
                await(id, "WORKSPACE_OFFLINE");
                offline.add(System.nanoTime() - k);
                await(id, "WORKSPACE_ONLINE");
                online.add(System.nanoTime() - k);
                HTTP.send(HttpRequest.newBuilder(URI.create(base + "/workspaces/" + id)).DELETE()
                        .header("Authorization", "Bearer bench").build(), HttpResponse.BodyHandlers.discarding());
                String volumes = docker("volume", "ls", "-q", "--filter", "label=dev.lifeline.workspace-id=" + id);
                for (String volume : volumes.split("\\s+")) {
                    if (!volume.isBlank()) docker("volume", "rm", volume);
                }
            }
            System.out.printf("rounds: %d%n", rounds);
            System.out.printf("baseline: docker run -> agent card answers, median %d ms%n", median(plain));
            System.out.printf("create -> WORKSPACE_ONLINE, median %d ms (%.2f x docker run)%n",
                    median(cold), (double) median(cold) / median(plain));
            System.out.printf("docker kill -> WORKSPACE_OFFLINE, median %d ms (%.4f x the reference's 15000 ms sweep)%n",
                    median(offline), median(offline) / 15000.0);
            System.out.printf("docker kill -> WORKSPACE_ONLINE, median %d ms (%.2f x docker run)%n",
                    median(online), (double) median(online) / median(plain));
        }
    }

    /** A container of the same image, started by hand, until its agent card answers. */
    static long plainDockerRun() throws Exception {
        long t0 = System.nanoTime();
        String id = docker("run", "-d", "-p", "127.0.0.1::8000", IMAGE);
        String port = docker("port", id, "8000/tcp").lines().findFirst().orElseThrow().replaceAll(".*:", "");
        HttpRequest card = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/.well-known/agent-card.json"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (HTTP.send(card, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        long elapsed = System.nanoTime() - t0;
        docker("rm", "-f", id);
        return elapsed;
    }

    static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
        return out.strip();
    }

    static long median(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(s.size() / 2) / 1_000_000;
    }

    static void await(String id, String type) throws InterruptedException {
        while (true) {
            JsonNode e = EVENTS.poll(120, TimeUnit.SECONDS);
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
