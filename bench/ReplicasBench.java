import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.server.ReplicaFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Three Lifeline replicas on one embedded PostgreSQL behind nginx (the server tests' {@code
 * ReplicaFleet}), measuring what a replica costs when it dies and what crossing replicas costs:
 *
 * <ol>
 *   <li>event latency across replicas: A2A calls answered by replica A, their {@code A2A_RESPONSE}
 *       event received on replica B's {@code /ws} (and on A's own, as the baseline);
 *   <li>calls lost when a replica is SIGKILLed under load through the balancer (no gate: a call in
 *       flight inside the dying replica is lost, nginx does not resend a POST);
 *   <li>loop failover: after that death, an agent the dead replica started (and that gets no calls)
 *       is SIGKILLed; the time until a surviving replica marks it dead, with a 5 s sweep period.
 * </ol>
 *
 * Arguments: the directory where the PostgreSQL binaries are unpacked, the number of cross-replica
 * calls (default 200), the load in calls per second (default 40).
 */
final class ReplicasBench {
    private static final Duration SWEEP = Duration.ofSeconds(5);
    private static final String MESSAGE =
            "{\"method\":\"SendMessage\",\"params\":{\"message\":{\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"bench\"}]}}}";

    public static void main(String[] args) throws Exception {
        Path postgres = Path.of(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Path dir = Files.createTempDirectory("lifeline-replicas-bench");
        Map<String, String> settings = Map.of(
                "LIFELINE_SWEEP_INTERVAL_SECONDS", Long.toString(SWEEP.toSeconds()),
                "LIFELINE_HEARTBEAT_TTL_SECONDS", "15",
                "LIFELINE_LOG_LEVEL", "WARN");
        long boot = System.nanoTime();
        try (ReplicaFleet fleet = ReplicaFleet.start(dir, postgres, 3, settings)) {
            System.out.printf(
                    "fleet up (PostgreSQL, nginx, 3 replicas) in %d ms; logs in %s%n", millisSince(boot), dir);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(new Bench.Api(fleet.replicaUrl(i % 3), ReplicaFleet.ADMIN_TOKEN)
                        .create("{\"name\":\"bench-" + i + "\",\"runtime\":\"echo\"}"));
            }
            awaitOnline(new Bench.Api(fleet.balancerUrl(), ReplicaFleet.ADMIN_TOKEN), ids);
            eventLatency(fleet, ids.getFirst(), calls);
            String quiet = fleet.workspacesWithAgentsOf(0).getFirst();
            List<String> called = ids.stream().filter(id -> !id.equals(quiet)).toList();
            callsLostWhenAReplicaDies(fleet, called, rate);
            loopFailover(fleet, quiet);
        }
    }

    /** Calls answered by replica 0; their A2A_RESPONSE as seen on replica 0's and replica 1's /ws. */
    private static void eventLatency(ReplicaFleet fleet, String workspace, int calls) throws Exception {
        ConcurrentLinkedQueue<Long> local = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> remote = new ConcurrentLinkedQueue<>();
        WebSocket a = subscribe(fleet.replicaUrl(0), workspace, local);
        WebSocket b = subscribe(fleet.replicaUrl(1), workspace, remote);
        Bench.Api onA = new Bench.Api(fleet.replicaUrl(0), ReplicaFleet.ADMIN_TOKEN);
        for (int i = 0; i < calls; i++) {
            onA.post("/workspaces/" + workspace + "/a2a", MESSAGE);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (remote.size() < calls && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        a.abort();
        b.abort();
        System.out.printf(
                "event latency, same replica: %d/%d received, p50 %d ms, p99 %d ms%n",
                local.size(), calls, Percentiles.millis(local, 50), Percentiles.millis(local, 99));
        System.out.printf(
                "event latency, across replicas: %d/%d received, p50 %d ms, p99 %d ms%n",
                remote.size(), calls, Percentiles.millis(remote, 50), Percentiles.millis(remote, 99));
    }

    /** Records, in nanoseconds, how long after its timestamp each A2A_RESPONSE of {@code workspace} arrived. */
    private static WebSocket subscribe(String replica, String workspace, ConcurrentLinkedQueue<Long> latencies) {
        return Bench.subscribe(URI.create(replica.replace("http", "ws") + "/ws"), ReplicaFleet.ADMIN_TOKEN, e -> {
            if (workspace.equals(e.path("workspace_id").asText())
                    && "A2A_RESPONSE".equals(e.path("event").asText())) {
                Instant at = Instant.parse(e.path("timestamp").asText());
                latencies.add(Duration.between(at, Instant.now()).toNanos());
            }
        });
    }

    /** {@code rate} calls per second through nginx for 10 s; replica 0 SIGKILLed after 5 s. */
    private static void callsLostWhenAReplicaDies(ReplicaFleet fleet, List<String> ids, int rate)
            throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            boolean killed = false;
            for (int i = 0; i < rate * 10; i++) {
                long due = start + i * periodNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                if (!killed && i >= rate * 5) {
                    fleet.crash(0);
                    killed = true;
                }
                String id = ids.get(i % ids.size());
                callers.execute(() -> {
                    String outcome = call(fleet.balancerUrl() + "/workspaces/" + id + "/a2a");
                    synchronized (outcomes) {
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                });
            }
        }
        System.out.printf(
                "calls through nginx, %d/s for 10 s, replica 0 SIGKILLed at 5 s: %s%n", rate, outcomes);
    }

    private static String call(String url) {
        try {
            HttpResponse<String> r = Bench.HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + ReplicaFleet.ADMIN_TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(MESSAGE))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503 && r.body().contains("\"restarting\":true")) {
                return "503 restarting";
            }
            return Integer.toString(r.statusCode());
        } catch (IOException e) {
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Kills the agent of {@code quiet} (started by the dead replica 0); how long until a survivor sees it. */
    private static void loopFailover(ReplicaFleet fleet, String quiet) throws Exception {
        Bench.Api survivor = new Bench.Api(fleet.replicaUrl(2), ReplicaFleet.ADMIN_TOKEN);
        JsonNode before = survivor.get("/workspaces/" + quiet);
        long pid = Long.parseLong(before.get("instance_ref").asText().split("@", 2)[0]);
        long generation = before.get("generation").asLong();
        long killed = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long detected = -1;
        long deadline = killed + SWEEP.multipliedBy(6).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode now = survivor.get("/workspaces/" + quiet);
            if (detected < 0 && (!now.get("status").asText().equals("online") || now.get("generation").asLong() > generation)) {
                detected = millisSince(killed);
            }
            if (now.get("status").asText().equals("online") && now.get("generation").asLong() > generation) {
                System.out.printf(
                        "loop failover (sweep every %d s): agent of the dead replica killed -> marked dead by a survivor %d ms,"
                                + " -> online again %d ms%n",
                        SWEEP.toSeconds(), detected, millisSince(killed));
                return;
            }
            Thread.sleep(20);
        }
        System.out.printf("loop failover: agent of the dead replica not restarted within %s%n", SWEEP.multipliedBy(6));
    }

    private static void awaitOnline(Bench.Api api, List<String> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            long online = 0;
            for (JsonNode w : api.get("/workspaces")) {
                online += ids.contains(w.get("id").asText()) && w.get("status").asText().equals("online") ? 1 : 0;
            }
            if (online == ids.size()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the workspaces did not come online within 2 minutes");
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
