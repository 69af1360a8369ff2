package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.store.EmbeddedPostgres;
import dev.lifeline.store.PostgresServer;
import dev.lifeline.testkit.StubAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Lifeline servers on one real PostgreSQL database: a canvas on either sees what happens on
 * both. Skipped with the reason when this machine cannot run PostgreSQL.
 */
class ReplicasShareEventsTest {
    private static final Duration CROSSING = Duration.ofSeconds(20);

    @RegisterExtension
    static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the replica tests");

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final StubAgent agent =
            StubAgent.start().answering(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"from\":\"agent\"}}");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        agent.close();
    }

    @Test
    void aCanvasOnOneReplicaSeesEveryEventOfTheOtherOnceAndCanReadThemBackThere() throws Exception {
        String database = database();
        TestServer a = open(TestServer.start(dirA, replicaOf(database)));
        TestServer b = open(TestServer.start(dirB, replicaOf(database)));
        EventRecorder onA = open(EventRecorder.webSocket(a));
        EventRecorder onB = open(EventRecorder.webSocket(b));

        String id = a.api.post("/workspaces", Map.of("name", "shared", "external", true, "url", agent.url()))
                .json()
                .get("id")
                .asText();
        assertThat(a.send(id, "hi").status()).isEqualTo(200);
        long lastSeenOnA = a.api.get("/events/" + id).json().get(0).get("id").asLong();
        assertThat(a.api.post("/workspaces/" + id + "/pause", Map.of()).status())
                .isEqualTo(200);

        await().atMost(CROSSING).until(() -> onA.lifecycle(id).contains("WORKSPACE_PAUSED"));
        await().atMost(CROSSING).until(() -> onB.lifecycle(id).equals(onA.lifecycle(id)));
        await().atMost(CROSSING).until(() -> onB.types(id).contains("A2A_RESPONSE"));
        assertThat(payloadOf(onB, id, "A2A_RESPONSE")).isEqualTo(payloadOf(onA, id, "A2A_RESPONSE"));
        assertThat(payloadOf(onB, id, "WORKSPACE_PAUSED")).isEqualTo(payloadOf(onA, id, "WORKSPACE_PAUSED"));
        JsonNode storedOnB = b.api.get("/events/" + id).json();
        assertThat(storedOnB.findValuesAsText("event_type")).contains("WORKSPACE_PAUSED");
        JsonNode missed = b.api.get("/events/" + id + "?after=" + lastSeenOnA).json();
        assertThat(missed.findValuesAsText("event_type"))
                .as("what a canvas that left A after the call reads on B")
                .containsExactly("WORKSPACE_PAUSED");
    }

    @Test
    void aWriteOnOneReplicaReroutesTheOthersCallsAtOnceThoughTheirRowsCouldBeCachedForMinutes() throws Exception {
        String database = database();
        Map<String, String> settings = new java.util.HashMap<>(replicaOf(database));
        settings.put(RowCacheTtl.KEY, String.valueOf(Duration.ofMinutes(10).toMillis()));
        TestServer a = open(TestServer.start(dirA, settings));
        TestServer b = open(TestServer.start(dirB, settings));
        String id = a.api.post("/workspaces", Map.of("name", "shared", "external", true, "url", agent.url()))
                .json()
                .get("id")
                .asText();
        assertThat(b.sendAtOnce(id, "cache the row").status()).isEqualTo(200);

        assertThat(a.api.post("/workspaces/" + id + "/pause", Map.of()).status())
                .isEqualTo(200);

        await().atMost(CROSSING).until(() -> b.sendAtOnce(id, "after the pause").status() == 409);
    }

    @Test
    void theEmbeddedDatabaseRunsNoListener() {
        TestServer solo = open(TestServer.start(dirA));

        // an external workspace: the server starts no agent that would outlive the test
        assertThat(solo.api
                        .post("/workspaces", Map.of("name", "solo", "external", true))
                        .status())
                .isEqualTo(201);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("lifeline-cluster-listener"));
    }

    private static JsonNode payloadOf(EventRecorder recorder, String id, String type) {
        return recorder.all().stream()
                .filter(s -> s.workspaceId().equals(id) && s.type().equals(type))
                .findFirst()
                .orElseThrow()
                .payload();
    }

    private static Map<String, String> replicaOf(String database) {
        return Map.of(
                "LIFELINE_DATABASE_URL",
                database,
                "LIFELINE_DATABASE_USER",
                PostgresServer.SUPERUSER,
                "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK",
                "true");
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static String database() throws Exception {
        return POSTGRES.createDatabase();
    }
}
