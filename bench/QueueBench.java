import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lifeline.server.LifelineServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of canvas calls to an agent that takes two at a time and answers 429 beyond: every call is
 * answered 200 at once or queued (202) and delivered later. Reports how many were queued, that each
 * message reached the agent exactly once, the drain rate and the queueing delay (202 → the agent
 * taking the call). The agent reports its load by heartbeat every {@code HEARTBEAT_MS}.
 *
 * <p>Usage: {@code QueueBench [calls=200] [work_ms=100] [heartbeat_ms=1000]}
 */
final class QueueBench {
    private static final String TOKEN = "bench-queue-token";
    private static final int CAPACITY = 2;

    private final Semaphore slots = new Semaphore(CAPACITY);
    /** Per message id: how many times the agent took it. */
    private final Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
    /** Per message id: when the agent took it (System.nanoTime). */
    private final Map<String, Long> takenAt = new ConcurrentHashMap<>();
    private final long workMillis;

    private QueueBench(long workMillis) {
        this.workMillis = workMillis;
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long work = args.length > 1 ? Long.parseLong(args[1]) : 100;
        long heartbeatMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        new QueueBench(work).run(calls, Duration.ofMillis(heartbeatMs));
    }

    private void run(int calls, Duration heartbeatEvery) throws Exception {
        HttpServer agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        agent.createContext("/", this::serve);
        agent.start();
        LifelineServer server = Bench.start(
                TOKEN, Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true", "LIFELINE_A2A_QUEUE_DRAIN_SECONDS", "1"));
        try {
            Bench.Api api = Bench.Api.of(server);
            JsonNode created = api.post("/workspaces", "{\"name\":\"queue-bench\",\"external\":true}");
            String id = created.get("id").asText();
            Bench.Api own = new Bench.Api(server.baseUrl(), created.at("/connection/auth_token").asText());
            own.post("/registry/register", Bench.JSON.writeValueAsString(Map.of(
                    "id", id, "url", "http://127.0.0.1:" + agent.getAddress().getPort(), "agent_card", Map.of())));
            Thread beats = Thread.ofVirtual().start(() -> heartbeats(own, id, heartbeatEvery));
            measure(api, id, calls);
            beats.interrupt();
        } finally {
            server.close();
            agent.stop(0);
        }
    }

    private void measure(Bench.Api api, String id, int calls) throws Exception {
        Map<String, Long> queuedAt = new ConcurrentHashMap<>();
        AtomicInteger direct = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        long started = System.nanoTime();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                String messageId = "burst-" + i;
                senders.submit(() -> {
                    HttpResponse<String> r = call(api, id, messageId);
                    switch (r.statusCode()) {
                        case 200 -> direct.incrementAndGet();
                        case 202 -> queuedAt.put(messageId, System.nanoTime());
                        default -> other.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (taken.size() < direct.get() + queuedAt.size() && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the agent's own count: the end of the drain has no event to wait on
        }
        long finished = System.nanoTime();
        List<Long> delays = new ArrayList<>();
        long lastTaken = started;
        for (var e : queuedAt.entrySet()) {
            Long at = takenAt.get(e.getKey());
            if (at != null) {
                delays.add(at - e.getValue());
                lastTaken = Math.max(lastTaken, at);
            }
        }
        long twice = taken.values().stream().filter(n -> n.get() > 1).count();
        double drainSeconds = (lastTaken - started) / 1e9;
        System.out.printf(
                "calls %d: %d answered at once, %d queued (202), %d other; delivered %d of %d, taken twice %d%n",
                calls, direct.get(), queuedAt.size(), other.get(), taken.size(), calls, twice);
        System.out.printf(
                "queued calls drained at %.1f calls/s (burst start → last queued call taken: %.1f s; all done %.1f s)%n",
                delays.size() / Math.max(drainSeconds, 1e-9), drainSeconds, (finished - started) / 1e9);
        System.out.printf(
                "queueing delay (202 → agent took it): p50 %d ms, p99 %d ms, max %d ms%n",
                Percentiles.millis(delays, 50), Percentiles.millis(delays, 99), Percentiles.millis(delays, 100));
    }

    private static HttpResponse<String> call(Bench.Api api, String id, String messageId)
            throws IOException, InterruptedException {
        String body = Bench.JSON.writeValueAsString(Map.of(
                "method", "message/send",
                "params", Map.of("message", Map.of(
                        "messageId", messageId, "role", "user", "parts", List.of(Map.of("kind", "text", "text", "hi"))))));
        return Bench.HTTP.send(
                HttpRequest.newBuilder(URI.create(api.base() + "/workspaces/" + id + "/a2a"))
                        .header("Authorization", "Bearer " + api.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void heartbeats(Bench.Api own, String id, Duration every) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                own.post("/registry/heartbeat", Bench.JSON.writeValueAsString(Map.of(
                        "workspace_id", id,
                        "active_tasks", CAPACITY - slots.availablePermits(),
                        "max_concurrent_tasks", CAPACITY)));
                Thread.sleep(every);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("heartbeat failed: " + e);
        }
    }

    /** Takes the call when a slot is free (working {@code workMillis}), else answers 429. */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = Bench.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String messageId = request.at("/params/message/messageId").asText();
            byte[] answer;
            int status;
            if (slots.tryAcquire()) {
                try {
                    taken.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
                    takenAt.putIfAbsent(messageId, System.nanoTime());
                    Thread.sleep(workMillis); // the agent's work
                    status = 200;
                    answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"result\":{\"ok\":true}}")
                            .getBytes(StandardCharsets.UTF_8);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    slots.release();
                }
            } else {
                status = 429;
                answer = "{\"error\":\"busy\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }
}
