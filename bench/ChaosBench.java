// Chaos: N echo workspaces under a steady A2A load while a random agent is SIGKILLed every few
// seconds. Reports answers by status, unanswered calls, kill → offline/online, restarts per kill,
// the final state and, for calls that waited for a restart, the wait they added. Mode "hold" (the
// default) lets calls wait for a restarting agent; "nowait" sends every call with Prefer: wait=0.
// Run with bench/chaos.sh [seconds] [workspaces] [hold|nowait]; figures go to BENCHMARKS.md.
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class ChaosBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final String TOKEN = "chaos";
    /** A JSON-RPC request reaches the agent as it is sent, so it carries its own messageId. */
    static String call() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":"
                + "{\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\","
                + "\"parts\":[{\"text\":\"ping\"}]}}}";
    }

    // kill time per workspace, and the measured intervals
    static final Map<String, Long> killedAt = new ConcurrentHashMap<>();
    static final List<Long> toOffline = new CopyOnWriteArrayList<>();
    static final List<Long> toOnline = new CopyOnWriteArrayList<>();
    static final AtomicLong restarts = new AtomicLong();
    // per answered call: its latency, and for calls that waited, the wait Lifeline reported
    static final List<Long> heldLatency = new CopyOnWriteArrayList<>();
    static final List<Long> heldWait = new CopyOnWriteArrayList<>();
    static final List<Long> plainLatency = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean hold = args.length <= 2 || !args[2].equals("nowait");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_DATA_DIR", Files.createTempDirectory("lifeline-chaos").toString());
        env.put("LIFELINE_ADMIN_TOKEN", TOKEN);
        env.put("LIFELINE_AGENT_HEARTBEAT_SECONDS", "10");
        // The kills here are the bench's, not a crash loop: keep the budget out of the way and the
        // back-off short, so the figures show detection and restart, not policy.
        env.put("LIFELINE_CRASH_LOOP_RESTARTS", "1000");
        env.put("LIFELINE_RESTART_BACKOFF_SECONDS", "1");
        try (LifelineServer server = LifelineServer.start(LifelineConfig.from(env), env)) {
            String base = server.baseUrl();
            HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Listener()).join();
            List<String> ids = new ArrayList<>();
            try {
                run(base, ids, size, seconds, env, hold);
            } finally {
                for (String id : ids) { // the agents outlive the server by design: remove them
                    HTTP.send(HttpRequest.newBuilder(URI.create(base + "/workspaces/" + id)).DELETE()
                            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.discarding());
                }
            }
        }
    }

    static void run(String base, List<String> ids, int size, int seconds, Map<String, String> env, boolean hold)
            throws Exception {
        {
            for (int i = 0; i < size; i++) {
                ids.add(post(base + "/workspaces", "{\"name\":\"chaos-" + i + "\",\"runtime\":\"echo\"}")
                        .get("id").asText());
            }
            awaitAllOnline(base, ids, Duration.ofMinutes(5));
            System.out.printf("%d workspaces online; running %d s of load and kills, mode %s%n",
                    size, seconds, hold ? "hold" : "nowait (Prefer: wait=0)");

            Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
            AtomicLong structured503 = new AtomicLong(), unanswered = new AtomicLong(), sent = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Random random = new Random(42);
            int kills = 0;
            try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
                long next = System.nanoTime();
                long nextKill = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < end) {
                    String target = ids.get(random.nextInt(ids.size()));
                    sent.incrementAndGet();
                    calls.submit(() -> {
                        try {
                            HttpRequest.Builder call = HttpRequest.newBuilder(
                                            URI.create(base + "/workspaces/" + target + "/a2a"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(90))
                                    .POST(HttpRequest.BodyPublishers.ofString(call()));
                            if (!hold) {
                                call.header("Prefer", "wait=0");
                            }
                            long started = System.nanoTime();
                            HttpResponse<String> r = HTTP.send(call.build(), HttpResponse.BodyHandlers.ofString());
                            long took = System.nanoTime() - started;
                            var held = r.headers().firstValue("X-Lifeline-Held-Ms");
                            if (held.isPresent()) {
                                heldLatency.add(took);
                                heldWait.add(Long.parseLong(held.get()) * 1_000_000);
                            } else {
                                plainLatency.add(took);
                            }
                            byStatus.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                            if (r.statusCode() == 503 && r.body().contains("\"restarting\":true")
                                    && r.headers().firstValue("Retry-After").isPresent()) {
                                structured503.incrementAndGet();
                            }
                        } catch (Exception e) {
                            unanswered.incrementAndGet();
                        }
                    });
                    if (System.nanoTime() >= nextKill) {
                        String victim = ids.get(random.nextInt(ids.size()));
                        JsonNode w;
                        try {
                            w = get(base + "/workspaces/" + victim);
                        } catch (Exception e) {
                            System.out.println("control call failed, no kill this round: " + e);
                            w = JSON.createObjectNode().put("status", "unknown");
                        }
                        if (w.get("status").asText().equals("online") && !killedAt.containsKey(victim)) {
                            long pid = Long.parseLong(w.get("instance_ref").asText().split("@")[0]);
                            killedAt.put(victim, System.nanoTime());
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                            kills++;
                        }
                        nextKill += TimeUnit.SECONDS.toNanos(2);
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(20); // about 50 calls/s
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            awaitAllOnline(base, ids, Duration.ofMinutes(5));
            String serverId = Files.readString(java.nio.file.Path.of(env.get("LIFELINE_DATA_DIR"), "server-id")).trim();
            long processes = ProcessHandle.allProcesses()
                    .filter(p -> environ(p.pid()).contains("LIFELINE_SERVER_ID=" + serverId))
                    .count();
            long ok = byStatus.getOrDefault(200, new AtomicLong()).get();
            System.out.printf("calls sent %d: by status %s; structured 503 restarting %d; unanswered %d%n",
                    sent.get(), new java.util.TreeMap<>(byStatus), structured503.get(), unanswered.get());
            System.out.printf("answered 200: %.2f %%; neither 200 nor a structured 503: %d%n",
                    100.0 * ok / sent.get(), sent.get() - ok - structured503.get() - unanswered.get());
            System.out.printf("calls that waited %d: wait p50 %d ms, p99 %d ms; latency p50 %d ms, p99 %d ms"
                            + " (calls that did not wait: p50 %d ms, p99 %d ms)%n",
                    heldWait.size(), pct(heldWait, 50), pct(heldWait, 99), pct(heldLatency, 50),
                    pct(heldLatency, 99), pct(plainLatency, 50), pct(plainLatency, 99));
            System.out.printf("kills %d; restarts %d (%.2f per kill)%n", kills, restarts.get(), (double) restarts.get() / kills);
            System.out.printf("kill -> WORKSPACE_OFFLINE: median %d ms, p99 %d ms%n", pct(toOffline, 50), pct(toOffline, 99));
            System.out.printf("kill -> WORKSPACE_ONLINE:  median %d ms, p99 %d ms%n", pct(toOnline, 50), pct(toOnline, 99));
            System.out.printf("final: %d of %d online; %d agent processes labelled with this server%n",
                    countOnline(base, ids), ids.size(), processes);
        }
    }

    static String environ(long pid) {
        try {
            return Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "environ"))
                    .replace('\0', '\n');
        } catch (Exception e) {
            return "";
        }
    }

    static long pct(List<Long> nanos, int p) {
        return Percentiles.millis(nanos, p);
    }

    static void awaitAllOnline(String base, List<String> ids, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (countOnline(base, ids) < ids.size()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not all online in " + limit);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    static int countOnline(String base, List<String> ids) throws Exception {
        int online = 0;
        for (JsonNode w : get(base + "/workspaces")) {
            if (ids.contains(w.get("id").asText()) && w.get("status").asText().equals("online")) online++;
        }
        return online;
    }

    static JsonNode post(String url, String body) throws Exception {
        return new Bench.Api("", TOKEN).post(url, body);
    }

    static JsonNode get(String url) throws Exception {
        return new Bench.Api("", TOKEN).get(url);
    }

    static final class Listener implements WebSocket.Listener {
        final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode e = JSON.readTree(text.toString());
                    String id = e.path("workspace_id").asText();
                    String type = e.path("event").asText();
                    Long k = killedAt.get(id);
                    if (type.equals("WORKSPACE_PROVISIONING") && k != null) restarts.incrementAndGet();
                    if (type.equals("WORKSPACE_OFFLINE") && k != null) toOffline.add(System.nanoTime() - k);
                    if (type.equals("WORKSPACE_ONLINE") && k != null) {
                        toOnline.add(System.nanoTime() - k);
                        killedAt.remove(id);
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
