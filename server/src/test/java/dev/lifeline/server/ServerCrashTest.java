package dev.lifeline.server;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifeline run as its own OS process and SIGKILLed while it is restarting agents. The next server
 * on the same data directory and port must end with every workspace online, exactly one agent
 * process per workspace, and no labelled process of a generation the database has moved past.
 */
class ServerCrashTest {
    private static final String ADMIN_TOKEN = "crash-test-admin-token";
    private static final int FLEET = 5;
    private static final int VICTIMS = 3;
    private static final Duration BOOT = ServerProcess.BOOT;
    private static final Duration RECOVERY = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    private ApiClient api;
    private int port;
    private ServerProcess server;
    private String serverId;
    /** Settings of this test's servers beyond the common ones. */
    private Map<String, String> settings = Map.of();

    @BeforeEach
    void pickAPort() throws IOException {
        assumeTrue(AgentProcesses.readable(), "needs Linux's /proc to read agent processes' labels");
        port = ServerProcess.freePort();
        api = new ApiClient("http://127.0.0.1:" + port, ADMIN_TOKEN);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (server == null) {
            return;
        }
        try {
            if (server.isAlive()) {
                for (JsonNode w : api.get("/workspaces").json()) {
                    api.delete("/workspaces/" + w.get("id").asText());
                }
            }
        } finally {
            server.stop();
            System.out.println("---- server log ----");
            System.out.println(Files.readString(logDir.resolve("server.log")));
            if (serverId != null) {
                assertThat(AgentProcesses.killAll(serverId, Duration.ofSeconds(30)))
                        .as("agents still running after their workspaces were removed")
                        .isEmpty();
            }
        }
    }

    @Test
    void aServerKilledTogetherWithItsAgentsRestartsOnlyTheDeadOnesWhenItComesBack() throws Exception {
        launch();
        List<String> ids = createFleet(FLEET);
        Map<String, FleetRow> before = awaitAllOnline();
        List<String> victims = ids.subList(0, VICTIMS);

        killAgentsOf(victims, before);
        crashServer();
        launch();

        awaitOneCurrentAgentPerWorkspace(ids);
        assertRecovered(ids, victims, before);
    }

    @Test
    void aServerKilledWhileNewGenerationsStartLeavesNoOrphansAndNoDuplicates() throws Exception {
        launch();
        List<String> ids = createFleet(FLEET);
        Map<String, FleetRow> before = awaitAllOnline();
        List<String> victims = ids.subList(0, VICTIMS);

        killAgentsOf(victims, before);
        awaitASecondGeneration();
        crashServer();
        System.out.println("agents at the crash: " + AgentProcesses.labelledBy(serverId));
        launch();

        awaitOneCurrentAgentPerWorkspace(ids);
        assertRecovered(ids, victims, before);
    }

    @Test
    void whatTheServerAcknowledgedBeforeItWasKilledSurvivesTheCrash() throws Exception {
        launch();
        List<String> ids = createFleet(FLEET);
        Map<String, FleetRow> before = awaitAllOnline();
        Map<String, List<JsonNode>> acknowledged = new TreeMap<>();
        ids.forEach(id -> acknowledged.put(id, events(id)));
        // One victim: its second generation runs, so its restart was committed before the crash.
        String victim = ids.getFirst();
        String renamed = ids.getLast();

        killAgentsOf(List.of(victim), before);
        awaitASecondGeneration();
        ApiClient.Reply rename = api.patch("/workspaces/" + renamed, Map.of("name", "renamed-before-the-crash"));
        crashServer();
        List<AgentProcesses.Agent> runningAtCrash = AgentProcesses.labelledBy(serverId);
        launch();

        assertThat(rename.status()).isEqualTo(200);
        assertThat(api.get("/workspaces/" + renamed).json().get("name").asText())
                .as("the name the API acknowledged just before the crash")
                .isEqualTo("renamed-before-the-crash");
        assertThat(acknowledged).allSatisfy((id, shown) -> assertThat(events(id))
                .as("events of %s after the crash", id)
                .containsAll(shown));
        awaitOneCurrentAgentPerWorkspace(ids);
        Map<String, FleetRow> after = fleet();
        assertThat(runningAtCrash)
                .as("a generation that ran is never issued again to another process; after the crash: %s", after)
                .allSatisfy(a -> {
                    FleetRow now = after.get(a.workspaceId());
                    if (now.generation() == a.generation()) {
                        assertThat(DemoCommand.pid(now.instanceRef())).isEqualTo(a.pid());
                    } else {
                        assertThat(now.generation()).isGreaterThan(a.generation());
                    }
                });
    }

    @Test
    void aWorkspaceWaitingOutItsBackOffWhenTheServerDiesIsRestartedByTheNextServer() throws Exception {
        // A store that keeps every acknowledged commit, so that only the restart logic is on trial.
        settings = Map.of(
                "LIFELINE_DATABASE_URL",
                "jdbc:h2:file:" + dataDir.resolve("lifeline") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0",
                "LIFELINE_RESTART_BACKOFF_SECONDS",
                "30");
        launch();
        List<String> ids = createFleet(1);
        String id = ids.getFirst();
        killAgentsOf(ids, awaitAllOnline());
        await().atMost(BOOT).until(() -> isOnlineAt(id, 2));

        killAgentsOf(ids, fleet());
        // A second death in a streak waits out a back-off of about 30 s, with the row offline.
        await().atMost(BOOT).until(() -> fleet().get(id).status().equals("offline"));
        crashServer();
        launch();

        awaitOneCurrentAgentPerWorkspace(ids);
        assertThat(fleet().get(id).generation()).isEqualTo(3);
    }

    private void killAgentsOf(List<String> victims, Map<String, FleetRow> rows) {
        for (String id : victims) {
            ProcessHandle.of(DemoCommand.pid(rows.get(id).instanceRef())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits until a second generation exists as a process: its workspace is mid-restart. */
    private void awaitASecondGeneration() {
        await().atMost(BOOT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> AgentProcesses.labelledBy(serverId).stream().anyMatch(a -> a.generation() == 2));
    }

    private List<String> createFleet(int size) {
        return IntStream.rangeClosed(1, size)
                .mapToObj(i -> {
                    ApiClient.Reply r = api.post("/workspaces", Map.of("name", "crash-" + i, "runtime", "echo"));
                    assertThat(r.status()).as(r.body()).isEqualTo(201);
                    return r.json().get("id").asText();
                })
                .toList();
    }

    private Map<String, FleetRow> awaitAllOnline() {
        await().atMost(BOOT)
                .until(() -> fleet().values().stream().allMatch(w -> w.status().equals("online")));
        return fleet();
    }

    /** SIGKILLs the server process, leaving its agents (its children) to whatever happens to them. */
    private void crashServer() throws InterruptedException {
        server.crash();
    }

    /**
     * Waits until the API and the OS process table agree: every workspace online, exactly one
     * labelled process for each, running the generation and instance the database names, and no
     * other process carrying this server's label.
     */
    private void awaitOneCurrentAgentPerWorkspace(List<String> ids) {
        long since = System.nanoTime();
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> agree(ids));
        System.out.printf(
                "recovered %d ms after the second server answered%n",
                Duration.ofNanos(System.nanoTime() - since).toMillis());
        // Sweeps and heartbeats keep coming; the agreement must hold, not just have happened once.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> agree(ids));
    }

    private void agree(List<String> ids) {
        Map<String, FleetRow> rows = fleet();
        List<AgentProcesses.Agent> labelled = AgentProcesses.labelledBy(serverId);
        assertThat(rows).containsOnlyKeys(ids);
        assertThat(rows.values())
                .as("statuses of %s", rows)
                .extracting(FleetRow::status)
                .containsOnly("online");
        assertThat(labelled)
                .as("processes labelled with server %s, against %s", serverId, rows)
                .allSatisfy(a -> {
                    FleetRow row = rows.get(a.workspaceId());
                    assertThat(row).as("workspace of pid %d", a.pid()).isNotNull();
                    assertThat(a.generation())
                            .as("generation of pid %d", a.pid())
                            .isEqualTo(row.generation());
                    assertThat(a.pid()).isEqualTo(DemoCommand.pid(row.instanceRef()));
                });
        Map<String, Long> perWorkspace =
                labelled.stream().collect(groupingBy(AgentProcesses.Agent::workspaceId, TreeMap::new, counting()));
        assertThat(perWorkspace)
                .as("agent processes per workspace")
                .containsOnlyKeys(ids)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    private void assertRecovered(List<String> ids, List<String> victims, Map<String, FleetRow> before) {
        Map<String, FleetRow> after = fleet();
        System.out.println("after recovery: " + after);
        ids.forEach(id -> System.out.println(id + " events, oldest first: " + lifecycle(id)));
        for (String id : ids) {
            if (victims.contains(id)) {
                assertThat(after.get(id).generation())
                        .as("generation of victim %s", id)
                        .isGreaterThan(1);
            } else {
                assertThat(after.get(id))
                        .as("survivor %s is adopted, not restarted", id)
                        .isEqualTo(before.get(id));
            }
            ApiClient.Reply reply = api.post("/workspaces/" + id + "/a2a", DemoCommand.message("still there?"));
            assertThat(reply.body()).contains("echo: still there?");
        }
    }

    private boolean isOnlineAt(String id, long generation) {
        FleetRow row = fleet().get(id);
        return row.status().equals("online") && row.generation() == generation;
    }

    private Map<String, FleetRow> fleet() {
        return FleetRow.all(api);
    }

    /** The persisted events of one workspace, newest first. */
    private List<JsonNode> events(String id) {
        List<JsonNode> all = new ArrayList<>();
        api.get("/events/" + id).json().forEach(all::add);
        return all;
    }

    private List<String> lifecycle(String id) {
        List<String> names = new ArrayList<>();
        api.get("/events/" + id)
                .json()
                .forEach(e -> names.addFirst(
                        e.get("event_type").asText() + " " + e.path("payload").toString()));
        return names;
    }

    /** Starts Lifeline as its own JVM on this test's class path and waits until it answers. */
    private void launch() throws IOException {
        server = ServerProcess.launch(port, dataDir, ADMIN_TOKEN, logDir.resolve("server.log"), settings);
        if (serverId == null) {
            serverId = server.serverId();
        }
    }
}
