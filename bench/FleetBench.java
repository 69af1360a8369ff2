// One Lifeline watching N simulated workspaces (bench/SimulatedFleet.java) for a window of S seconds:
// CPU (Lifeline's apart from the simulator's HTTP client threads), heap after GC, RSS, database
// growth, heartbeats handled, the sweep's and heartbeat expiry's round durations (from /metrics),
// /ws fan-out to 10 subscribers (FLEET_SUBSCRIBERS=0 runs without them, to price the fan-out), and
// death -> WORKSPACE_OFFLINE -> WORKSPACE_ONLINE for agents killed (the sweep sees them stopped) and
// silenced (only the heartbeat TTL notices). Run with bench/fleet.sh N [seconds].
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.server.LifelineServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

public class FleetBench {
    static final int SUBSCRIBERS = Integer.parseInt(System.getenv().getOrDefault("FLEET_SUBSCRIBERS", "10"));
    static final int VICTIMS = 5;

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 180;
        SimulatedFleet fleet = new SimulatedFleet(30_000);
        Map<String, String> settings = Map.of(
                "LIFELINE_AGENT_HEARTBEAT_SECONDS", "30",
                "LIFELINE_SWEEP_INTERVAL_SECONDS", "15",
                "LIFELINE_HEARTBEAT_TTL_SECONDS", "90",
                "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true",
                "LIFELINE_MAX_CONCURRENT_STARTS", "64",
                "LIFELINE_RESTART_BACKOFF_SECONDS", "1");
        Path dataDir = null;
        try (LifelineServer server = Bench.start("fleet", settings, List.of(fleet))) {
            Bench.Api api = Bench.Api.of(server);
            List<String> ids = createAll(api, size);
            long t = System.nanoTime();
            awaitOnline(api, size);
            System.out.printf("N=%d: all online %d s after the last create%n", size, (System.nanoTime() - t) / 1_000_000_000);

            LongAdder delivered = new LongAdder();
            Map<String, Long> diedAt = new ConcurrentHashMap<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                boolean first = i == 0;
                Bench.subscribe(server, e -> {
                    delivered.increment();
                    if (first) {
                        timeTransition(e, diedAt);
                    }
                });
            }
            System.gc();
            long dbBefore = databaseBytes(server);
            LoopTimes loopsBefore = LoopTimes.parse(api.text("/metrics"));
            ThreadCpu simulator = new ThreadCpu(FleetBench::simulatorThread);
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long cpuBefore = processCpuNanos(), beatsBefore = fleet.heartbeats.sum(), wallBefore = System.nanoTime();
            long deliveredBefore = delivered.sum();

            List<String> killed = ids.subList(0, VICTIMS), silenced = ids.subList(VICTIMS, 2 * VICTIMS);
            for (String id : killed) {
                diedAt.put(id + "/kill", System.nanoTime());
                fleet.kill(WorkspaceId.parse(id));
            }
            for (String id : silenced) {
                diedAt.put(id + "/silence", System.nanoTime());
                fleet.silence(WorkspaceId.parse(id));
            }
            TimeUnit.SECONDS.sleep(seconds);

            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            double simulatorCpu = simulator.seconds();
            simulator.close();
            double lifelineCpu = cpu - simulatorCpu;
            long beats = fleet.heartbeats.sum() - beatsBefore;
            LoopTimes loops = LoopTimes.parse(api.text("/metrics"));
            long dbAfter = databaseBytes(server);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("N=%d %s window %.0f s, load average %.2f at its start, %.2f at its end%n", size,
                    server.config().databaseUrl().isPresent() ? "PostgreSQL" : "H2", wall, loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("  CPU %.1f %% of one core for Lifeline (%.1f %% process, %.1f %% simulator threads);"
                            + " %.3f ms Lifeline CPU per heartbeat (%d heartbeats, %d failed)%n",
                    100 * lifelineCpu / wall, 100 * cpu / wall, 100 * simulatorCpu / wall,
                    beats == 0 ? 0 : 1000 * lifelineCpu / beats, beats, fleet.failedHeartbeats.sum());
            System.out.printf("  sweep round %s; heartbeat expiry round %s; heartbeat flush %s%n",
                    loops.since(loopsBefore, "sweep"), loops.since(loopsBefore, "heartbeat expiry"),
                    loops.since(loopsBefore, "heartbeat flush"));
            System.out.printf("  heap after GC %d MiB; RSS %d MiB%n", heap >> 20, rssKib() >> 10);
            System.out.printf("  database %d MiB, growth %.1f MiB/hour%n", dbAfter >> 20,
                    (dbAfter - dbBefore) / 1048576.0 * 3600 / wall);
            System.out.printf("  /ws: %d events delivered to %d subscribers%n", delivered.sum() - deliveredBefore, SUBSCRIBERS);
            System.out.printf("  death -> WORKSPACE_OFFLINE: kill %s, silence %s%n",
                    summary("offline/kill"), summary("offline/silence"));
            System.out.printf("  death -> WORKSPACE_ONLINE:  kill %s, silence %s%n",
                    summary("online/kill"), summary("online/silence"));
            System.out.printf("  silence -> heartbeat expiry asks the backend: %s; from the last heartbeat: %s%n",
                    silenceSummary(fleet, 0), silenceSummary(fleet, 1));
            dataDir = server.config().dataDir();
        } finally {
            fleet.close();
        }
        deleteTree(dataDir);
    }

    /** Death -> event durations, by "offline/kill", "online/silence" and so on. */
    static final Map<String, List<Long>> TIMES = new ConcurrentHashMap<>();

    static void timeTransition(JsonNode e, Map<String, Long> diedAt) {
        String id = e.path("workspace_id").asText();
        String type = e.path("event").asText();
        for (String kind : List.of("kill", "silence")) {
            Long at = diedAt.get(id + "/" + kind);
            if (at == null) {
                continue;
            }
            long elapsed = System.nanoTime() - at;
            if (type.equals("WORKSPACE_OFFLINE")) {
                TIMES.computeIfAbsent("offline/" + kind, k -> new CopyOnWriteArrayList<>()).add(elapsed);
            } else if (type.equals("WORKSPACE_ONLINE")) {
                TIMES.computeIfAbsent("online/" + kind, k -> new CopyOnWriteArrayList<>()).add(elapsed);
                diedAt.remove(id + "/" + kind);
            }
        }
    }

    static String summary(String key) {
        List<Long> t = TIMES.getOrDefault(key, List.of());
        return t.isEmpty() ? "none" : "median " + Percentiles.millis(t, 50) + " ms, max " + Percentiles.millis(t, 100)
                + " ms (" + t.size() + ")";
    }

    static String silenceSummary(SimulatedFleet fleet, int from) {
        List<Long> t = fleet.silenceNoticed.stream().map(d -> d[from]).toList();
        return t.isEmpty() ? "none" : "median " + Percentiles.millis(t, 50) + " ms, max " + Percentiles.millis(t, 100)
                + " ms (" + t.size() + ")";
    }

    static List<String> createAll(Bench.Api api, int size) throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        Semaphore parallel = new Semaphore(16);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < size; i++) {
                int n = i;
                parallel.acquire();
                threads.submit(() -> {
                    try {
                        ids.add(api.create("{\"name\":\"fleet-" + n + "\",\"runtime\":\"echo\",\"backend\":\"fleet\"}"));
                    } finally {
                        parallel.release();
                    }
                    return null;
                });
            }
        }
        return new ArrayList<>(ids);
    }

    static void awaitOnline(Bench.Api api, int size) throws Exception {
        while (true) {
            int online = 0;
            for (JsonNode w : api.get("/workspaces")) {
                if (w.path("status").asText().equals("online")) online++;
            }
            if (online >= size) return;
            TimeUnit.SECONDS.sleep(2);
        }
    }

    /** The simulator's side: the HTTP client's selector and worker threads (heartbeats, /ws reads) and its timer. */
    static boolean simulatorThread(String name) {
        return name.startsWith("HttpClient-") || name.equals("fleet-timer");
    }

    /** Removes the benchmark's data directory (an H2 file of up to a few hundred MiB). */
    static void deleteTree(Path dir) throws Exception {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The H2 file's size, or the PostgreSQL database's. */
    static long databaseBytes(LifelineServer server) throws Exception {
        var url = server.config().databaseUrl();
        if (url.isEmpty()) {
            Path db = Path.of(server.config().dataDir().toString(), "lifeline.mv.db");
            return Files.exists(db) ? Files.size(db) : 0;
        }
        try (var c = java.sql.DriverManager.getConnection(url.get(), server.config().databaseUser().orElse(null),
                        server.config().databasePassword().orElse(null));
                var rs = c.createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }
}
