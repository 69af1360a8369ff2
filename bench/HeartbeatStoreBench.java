// The store's side of a fleet's heartbeats, alone, on an H2 file (or LIFELINE_DATABASE_URL): N online
// workspaces; one second of heartbeats at a 30 s interval (N/30 of them) written one UPDATE each, as
// before coalescing, or in one batch, as a flush does; and the heartbeat-expiry query; all without
// and then with an index on (status, last_heartbeat_at, updated_at), which Lifeline does not create:
// on H2 it slows the batch and the query, on PostgreSQL it saves a few milliseconds per expiry round.
//   [FLEET_DB=postgres] bench/heartbeat-store.sh [N] [rounds]
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.HeartbeatWrite;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

public class HeartbeatStoreBench {
    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("lifeline-store-bench");
        String url = System.getenv().getOrDefault("LIFELINE_DATABASE_URL", Stores.embeddedUrl(dir));
        String user = System.getenv("LIFELINE_DATABASE_USER");
        Instant t0 = Instant.now();
        List<WorkspaceId> ids = new ArrayList<>();
        try (JdbcStore store = Stores.open(url, user, null)) {
            for (int i = 0; i < size; i++) {
                WorkspaceId id = WorkspaceId.random();
                store.create(new NewWorkspace(id, "w" + i, null, 2, "echo", "fleet", WorkspaceStatus.AWAITING_AGENT,
                        null, null, null), new WorkspaceEvent.Provisioning(id, "w" + i, 2, "echo"), t0);
                var _ = store.transition(Transition.to(id, WorkspaceStatus.ONLINE,
                        new WorkspaceEvent.Online(id, null, null, null), t0).touchingHeartbeat());
                ids.add(id);
            }
            int perSecond = Math.max(1, size / 30);
            var expiry = (Supplier<Integer>) () -> store.silentSince(
                    EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED), t0.minusSeconds(1)).size();
            System.out.printf("N=%d, a flush every k seconds (k seconds of heartbeats in one batch):%n", size);
            long[] clock = {1};
            for (int k : new int[] {1, 3, 10, 30}) {
                int batch = perSecond * k;
                long median = medianNanos(Math.max(3, rounds / k), () -> {
                    List<HeartbeatWrite> writes = new ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        writes.add(new HeartbeatWrite(pick(ids), 1, beat(), t0.plusMillis(clock[0]++)));
                    }
                    store.recordHeartbeats(writes);
                });
                System.out.printf("  k=%2d: %5d rows, median %.1f ms a flush, %.2f ms of store time per second%n",
                        k, batch, median / 1e6, median / 1e6 / k);
            }
            for (String index : List.of("without an expiry index (as shipped)", "with one")) {
                System.out.printf("N=%d, %s:%n", size, index);
                long[] at = {1};
                System.out.printf("  %d heartbeats, one UPDATE each:  %s%n", perSecond, time(rounds, () -> {
                    for (int i = 0; i < perSecond; i++) {
                        var _ = store.recordHeartbeat(pick(ids), beat(), t0.plusMillis(at[0]++));
                    }
                }));
                System.out.printf("  %d heartbeats, one batch:        %s%n", perSecond, time(rounds, () -> {
                    List<HeartbeatWrite> writes = new ArrayList<>();
                    for (int i = 0; i < perSecond; i++) {
                        writes.add(new HeartbeatWrite(pick(ids), 1, beat(), t0.plusMillis(at[0]++)));
                    }
                    store.recordHeartbeats(writes);
                }));
                // a write between two queries, as in production: H2 would otherwise reuse the last result
                System.out.printf("  heartbeat-expiry query:         %s%n", time(rounds, () -> {
                    var _ = store.recordHeartbeat(pick(ids), beat(), t0.plusMillis(at[0]++));
                }, expiry::get));
                if (index.startsWith("without")) {
                    try (var c = DriverManager.getConnection(url, user, null);
                            var s = c.createStatement()) {
                        s.execute("CREATE INDEX bench_status_heartbeat_idx ON workspaces (status, last_heartbeat_at, updated_at)");
                    }
                }
            }
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static WorkspaceId pick(List<WorkspaceId> ids) {
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    static Heartbeat beat() {
        return new Heartbeat(0, null, 0, 1, null, 0);
    }

    /** Median wall time of {@code rounds} runs of {@code body}, after as many warm-up runs. */
    static long medianNanos(int rounds, Runnable body) {
        for (int i = 0; i < rounds; i++) {
            body.run();
        }
        long[] took = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            body.run();
            took[i] = System.nanoTime() - start;
        }
        return Percentiles.of(took, 50);
    }

    static String time(int rounds, Runnable body) {
        return time(rounds, () -> {}, () -> {
            body.run();
            return null;
        });
    }

    /** Median and max wall time of {@code rounds} runs of {@code body}, each after an untimed {@code before}, after as many warm-up runs. */
    static String time(int rounds, Runnable before, Supplier<?> body) {
        for (int i = 0; i < rounds; i++) {
            before.run();
            body.get();
        }
        long[] took = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            before.run();
            long start = System.nanoTime();
            body.get();
            took[i] = System.nanoTime() - start;
        }
        return String.format("median %.2f ms, max %.2f ms", Percentiles.of(took, 50) / 1e6,
                Percentiles.of(took, 100) / 1e6);
    }
}
