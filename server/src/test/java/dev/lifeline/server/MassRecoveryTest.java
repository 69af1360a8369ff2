package dev.lifeline.server;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole fleet dies at once: fifty real agent processes SIGKILLed together. Every workspace is
 * restarted exactly once, and ends with exactly one agent process, as the OS process table shows.
 */
class MassRecoveryTest {
    private static final int FLEET = 50;
    /**
     * Fifty JVMs starting together on a two-core machine take their time: about 35 s when it is
     * otherwise idle, 145 s seen while other builds ran beside it.
     */
    private static final Duration ALL_ONLINE = Duration.ofMinutes(5);

    private static final Pattern AUTOMATIC_RESTARTS =
            Pattern.compile("(?m)^lifeline_restarts_total\\{cause=\"automatic\",?} (\\S+)$");

    @TempDir
    Path dataDir;

    private TestServer server;
    private String serverId;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue(AgentProcesses.readable(), "needs Linux's /proc to read agent processes' labels");
        // Fifty agents beating every second would keep both cores busy; every five is plenty.
        server = TestServer.start(dataDir, Map.of("LIFELINE_AGENT_HEARTBEAT_SECONDS", "5"));
        serverId = AgentProcesses.serverIdOf(dataDir);
    }

    @AfterEach
    void removeEveryWorkspace() {
        if (server == null) {
            return;
        }
        try {
            for (JsonNode w : server.api.get("/workspaces").json()) {
                server.api.delete("/workspaces/" + w.get("id").asText());
            }
        } finally {
            server.close();
            assertThat(AgentProcesses.killAll(serverId, Duration.ofSeconds(30)))
                    .as("agents still running after their workspaces were removed")
                    .isEmpty();
        }
    }

    @Test
    void fiftyAgentsKilledAtOnceAreEachRestartedExactlyOnce() {
        List<String> ids = IntStream.rangeClosed(1, FLEET)
                .mapToObj(i -> server.create("mass-" + i, "echo", "process"))
                .toList();
        await().atMost(ALL_ONLINE)
                .pollInterval(Duration.ofSeconds(1))
                .failFast("a workspace failed to come up", () -> anyFailed())
                .until(() -> allOnlineAt(1));
        List<ProcessHandle> agents = fleet().values().stream()
                .map(w -> ProcessHandle.of(DemoCommand.pid(w.instanceRef())).orElseThrow())
                .toList();
        assertThat(agentsPerWorkspace(ids)).containsOnlyKeys(ids).allSatisfy((id, n) -> assertThat(n)
                .isEqualTo(1));

        long killedAt = System.nanoTime();
        agents.forEach(ProcessHandle::destroyForcibly);

        await().atMost(ALL_ONLINE)
                .pollInterval(Duration.ofSeconds(1))
                .failFast("a workspace reached a third generation", () -> fleet().values().stream()
                        .anyMatch(w -> w.generation() > 2))
                .failFast("a workspace failed to come back", () -> anyFailed())
                .until(() -> allOnlineAt(2));
        System.out.printf(
                "all %d workspaces back online %d ms after the SIGKILL; deaths detected by %s%n",
                FLEET, Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), detectedBy(ids));

        Map<String, FleetRow> after = fleet();
        assertThat(agents).allSatisfy(old -> assertThat(old.isAlive()).isFalse());
        assertThat(lifecycles(ids)).allSatisfy((id, events) -> assertThat(events)
                .as("persisted events of %s, oldest first", id)
                .containsExactly(
                        "WORKSPACE_PROVISIONING",
                        "WORKSPACE_ONLINE",
                        "WORKSPACE_OFFLINE",
                        "WORKSPACE_PROVISIONING",
                        "WORKSPACE_ONLINE"));
        assertThat(automaticRestarts()).isEqualTo(FLEET);
        assertThat(AgentProcesses.all().stream().filter(a -> ids.contains(a.workspaceId())))
                .as("the agent processes of the fleet")
                .hasSize(FLEET)
                .allSatisfy(a -> {
                    assertThat(a.generation()).isEqualTo(2);
                    assertThat(a.pid())
                            .isEqualTo(
                                    DemoCommand.pid(after.get(a.workspaceId()).instanceRef()));
                });
        // A few more sweeps and heartbeats change nothing: no late second restart, no stray process.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(15))
                .until(() -> allOnlineAt(2)
                        && agentsPerWorkspace(ids).values().stream().allMatch(n -> n == 1));
        assertThat(automaticRestarts()).isEqualTo(FLEET);
    }

    private Map<String, FleetRow> fleet() {
        return FleetRow.all(server.api);
    }

    private boolean allOnlineAt(long generation) {
        Map<String, FleetRow> rows = fleet();
        return rows.size() == FLEET
                && rows.values().stream().allMatch(w -> w.status().equals("online") && w.generation() == generation);
    }

    private boolean anyFailed() {
        return fleet().values().stream().anyMatch(w -> w.status().equals("failed"));
    }

    /** Live agent processes per workspace of {@code ids}, counted from the OS process table. */
    private static Map<String, Long> agentsPerWorkspace(List<String> ids) {
        return AgentProcesses.all().stream()
                .filter(a -> ids.contains(a.workspaceId()))
                .collect(groupingBy(AgentProcesses.Agent::workspaceId, TreeMap::new, counting()));
    }

    /** Each workspace's persisted event names, oldest first. */
    private Map<String, List<String>> lifecycles(List<String> ids) {
        Map<String, List<String>> all = new TreeMap<>();
        for (String id : ids) {
            List<String> names = new ArrayList<>();
            server.api
                    .get("/events/" + id)
                    .json()
                    .forEach(e -> names.addFirst(e.get("event_type").asText()));
            all.put(id, names);
        }
        return all;
    }

    /** How many deaths each health layer reported, from the persisted offline events. */
    private Map<String, Long> detectedBy(List<String> ids) {
        Map<String, Long> layers = new TreeMap<>();
        for (String id : ids) {
            for (JsonNode e : server.api.get("/events/" + id).json()) {
                if (e.get("event_type").asText().equals("WORKSPACE_OFFLINE")) {
                    layers.merge(e.path("payload").path("detected_by").asText("?"), 1L, Long::sum);
                }
            }
        }
        return layers;
    }

    private long automaticRestarts() {
        Matcher m = AUTOMATIC_RESTARTS.matcher(server.api.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
