// Measures how fast Lifeline notices a SIGKILLed agent and brings it back, against a cold start
// measured in the same run. Run with: bench/recovery.sh  (figures go to BENCHMARKS.md by hand).
import dev.lifeline.server.LifelineServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class RecoveryBench {
    static final Duration WAIT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (LifelineServer server = Bench.start("bench", Map.of())) {
            Bench.Api api = Bench.Api.of(server);
            Bench.Events events = Bench.Events.of(server);
            List<Long> cold = new ArrayList<>(), offline = new ArrayList<>(), online = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                String id = api.create("{\"name\":\"bench-" + i + "\",\"runtime\":\"echo\"}");
                events.await(id, "WORKSPACE_ONLINE", WAIT);
                cold.add(System.nanoTime() - t0);
                String ref = api.get("/workspaces/" + id).get("instance_ref").asText();
                ProcessHandle agent = ProcessHandle.of(Long.parseLong(ref.split("@")[0])).orElseThrow();
                long k = System.nanoTime();
                agent.destroyForcibly();
                events.await(id, "WORKSPACE_OFFLINE", WAIT);
                offline.add(System.nanoTime() - k);
                events.await(id, "WORKSPACE_ONLINE", WAIT);
                online.add(System.nanoTime() - k);
                api.delete("/workspaces/" + id);
            }
            long coldMs = Percentiles.millis(cold, 50), offlineMs = Percentiles.millis(offline, 50);
            long onlineMs = Percentiles.millis(online, 50);
            System.out.printf("rounds: %d%n", rounds);
            System.out.printf("baseline: create -> WORKSPACE_ONLINE (cold start), median %d ms%n", coldMs);
            System.out.printf("SIGKILL -> WORKSPACE_OFFLINE, median %d ms (%.3f x cold start; reference sweep: 15000 ms)%n",
                    offlineMs, (double) offlineMs / coldMs);
            System.out.printf("SIGKILL -> WORKSPACE_ONLINE, median %d ms (%.2f x cold start)%n",
                    onlineMs, (double) onlineMs / coldMs);
        }
    }
}
