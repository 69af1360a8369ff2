package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.AnswerPreview;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.RemoteEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas (two stores, each with its own pool and listening connection) on one real PostgreSQL
 * database: what one writes, the other hears, once, in order, and nothing is lost when the
 * listening connection is cut. Skipped with the reason when this machine cannot run PostgreSQL.
 */
class SharedDatabaseTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration CROSSING = Duration.ofSeconds(20);

    @RegisterExtension
    static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the shared-database tests");

    private @Nullable String url;
    private final List<JdbcStore> opened = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws SQLException {
        url = POSTGRES.createDatabase();
    }

    @AfterEach
    void closeReplicas() {
        opened.forEach(JdbcStore::close);
    }

    @Test
    void everyEventStoredOnOneReplicaReachesTheOtherOnceInOrderPerWorkspace() {
        Replica a = replica();
        Replica b = replica();
        List<WorkspaceId> ids = IntStream.range(0, 5).mapToObj(i -> create(a)).toList();

        for (int i = 0; i < 200; i++) {
            a.store.recordEvent(new WorkspaceEvent.Offline(ids.get(i % 5), "probe-" + i), T0.plusSeconds(i));
        }

        await().atMost(CROSSING).until(() -> b.events.size() >= 205);
        for (int w = 0; w < 5; w++) {
            WorkspaceId id = ids.get(w);
            List<String> expected = new ArrayList<>(List.of("WORKSPACE_PROVISIONING"));
            for (int i = w; i < 200; i += 5) {
                expected.add("WORKSPACE_OFFLINE {\"detected_by\":\"probe-" + i + "\"}");
            }
            assertThat(b.events.stream().filter(e -> e.workspaceId().equals(id)).map(SharedDatabaseTest::offlineOrType))
                    .containsExactlyElementsOf(expected);
        }
        assertThat(b.events).hasSize(205).allMatch(RemoteEvent::persisted);
        assertThat(a.events).as("a replica does not hear its own events").isEmpty();
    }

    @Test
    void aBroadcastOnlyEventCrossesWithItsPayloadAndTime() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = WorkspaceId.random();

        a.store.channel().broadcast(new PublishedEvent(new WorkspaceEvent.Heartbeat(id, 2, 60), T0));

        await().atMost(CROSSING).until(() -> !b.events.isEmpty());
        RemoteEvent crossed = b.events.remove();
        assertThat(crossed.id()).isZero();
        assertThat(crossed.type()).isEqualTo("WORKSPACE_HEARTBEAT");
        assertThat(crossed.workspaceId()).isEqualTo(id);
        assertThat(crossed.at()).isEqualTo(T0);
        assertThat(crossed.payloadJson()).contains("\"active_tasks\":2", "\"uptime_seconds\":60");
        assertThat(a.events).isEmpty();
    }

    @Test
    void aBurstOfBroadcastsCrossesWholeInTheOrderPublishedAndAClosingReplicaSendsWhatItQueued() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = WorkspaceId.random();

        for (int uptime = 1; uptime <= 1200; uptime++) {
            a.store.channel().broadcast(new PublishedEvent(new WorkspaceEvent.Heartbeat(id, 0, uptime), T0));
        }
        a.store.close();

        await().atMost(CROSSING).until(() -> b.events.size() == 1200);
        assertThat(b.events)
                .extracting(e -> e.payloadJson().replaceAll(".*\"uptime_seconds\":(\\d+).*", "$1"))
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, 1200).mapToObj(String::valueOf).toList());
    }

    @Test
    void anOversizedBroadcastCrossesTrimmedToItsSmallFields() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = WorkspaceId.random();
        AnswerPreview huge = new AnswerPreview("x".repeat(20_000), 20_000, false);

        a.store
                .channel()
                .broadcast(new PublishedEvent(new WorkspaceEvent.A2aResponse(id, huge, "SendMessage", 12), T0));

        await().atMost(CROSSING).until(() -> !b.events.isEmpty());
        assertThat(b.events.remove().payloadJson())
                .isEqualTo("{\"response_size\":20000,\"response_truncated\":false,\"method\":\"SendMessage\","
                        + "\"duration_ms\":12,\"truncated\":true}");
    }

    @Test
    void anOversizedStoredEventCrossesWholeReadFromTheTable() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = create(a);
        String error = "e".repeat(12_000);

        a.store.recordEvent(new WorkspaceEvent.ProvisionFailed(id, error), T0);

        await().atMost(CROSSING).until(() -> b.events.size() >= 2);
        assertThat(b.events).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo("WORKSPACE_PROVISION_FAILED");
            assertThat(e.payloadJson()).isEqualTo("{\"error\":\"" + error + "\"}");
        });
    }

    @Test
    void aRowWrittenOnOneReplicaIsAnnouncedToTheOthersAtOnce() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = create(a);
        await().atMost(CROSSING).until(() -> b.rows.contains(id));
        b.rows.clear();

        a.store.recordInstance(id, 1, new InstanceRef("pid:1"), "http://127.0.0.1:9001", "server-a", T0);

        await().atMost(CROSSING).until(() -> b.rows.contains(id));
        assertThat(a.rows).as("a replica evicts its own writes itself").isEmpty();
    }

    @Test
    void aHeartbeatThatMovesOnlyLivenessFiguresIsNotAnnouncedButOneThatReportsSpendIs() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = create(a);
        await().atMost(CROSSING).until(() -> b.rows.contains(id));
        b.rows.clear();

        a.store.recordHeartbeat(id, new Heartbeat(0.2, "slow", 3, 5, "summarising", 0), T0.plusSeconds(5));
        a.store.recordInstance(id, 1, new InstanceRef("pid:1"), "http://127.0.0.1:9001", "server-a", T0);
        await().atMost(CROSSING).until(() -> b.rows.contains(id));
        assertThat(b.rows)
                .as("once, for the instance; notices arrive in commit order")
                .containsExactly(id);
        b.rows.clear();

        a.store.recordHeartbeat(id, new Heartbeat(0, null, 0, 35, null, 1200), T0.plusSeconds(35));

        await().atMost(CROSSING).until(() -> b.rows.contains(id));
    }

    @Test
    void aTokenMintedOrEndedOnOneReplicaIsAnnouncedToTheOthersButAHeartbeatIsNot() {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = create(a);
        byte[] token = WorkspaceTokens.hash(WorkspaceTokens.mint());

        a.store.replaceToken(id, 1, token, "abcdefgh", T0);
        await().atMost(CROSSING).until(() -> b.recorder.tokens.contains(id));
        b.recorder.tokens.clear();
        a.store.recordHeartbeat(id, new Heartbeat(0, null, 0, 5, null, 0), T0.plusSeconds(5));
        a.store.removeTree(id, false, T0.plusSeconds(6));

        await().atMost(CROSSING).until(() -> b.recorder.tokens.contains(id));
        assertThat(b.recorder.tokens)
                .as("once, for the removal; the heartbeat changed no token")
                .containsExactly(id);
        assertThat(a.recorder.tokens)
                .as("a replica forgets its own grants itself")
                .isEmpty();
    }

    @Test
    void eventsStoredWhileTheListeningConnectionIsCutStillArrive() throws SQLException {
        Replica a = replica();
        Replica b = replica();
        WorkspaceId id = create(a);
        await().atMost(CROSSING).until(() -> b.events.size() == 1);

        // the listener cannot come back until the events below are stored
        admin("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName()
                + "' AND application_name LIKE '%:listener'");
        for (int i = 0; i < 50; i++) {
            a.store.recordEvent(new WorkspaceEvent.Offline(id, "probe-" + i), T0.plusSeconds(i));
        }
        admin("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS true");

        await().atMost(CROSSING).until(() -> b.events.size() >= 51);
        assertThat(b.events.stream().skip(1).map(RemoteEvent::payloadJson))
                .containsExactlyElementsOf(IntStream.range(0, 50)
                        .mapToObj(i -> "{\"detected_by\":\"probe-" + i + "\"}")
                        .toList());
        assertThat(b.recorder.cutOff).as("rows written meanwhile are let go").hasValue(1);
    }

    @Test
    void theEmbeddedDatabaseSharesNothingAndStartsNoListener() {
        try (JdbcStore h2 = Stores.inMemoryH2("solo")) {
            h2.channel().listen(new Recorder());

            assertThat(h2.channel()).isSameAs(ClusterChannel.SOLO);
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().equals("lifeline-cluster-listener"));
        }
    }

    /** An offline event with its payload, any other by its name (the order of its fields is not fixed). */
    private static String offlineOrType(RemoteEvent e) {
        return e.type().equals("WORKSPACE_OFFLINE") ? e.type() + " " + e.payloadJson() : e.type();
    }

    /** One replica: its store and what its channel handed over. */
    private record Replica(JdbcStore store, Queue<RemoteEvent> events, Queue<WorkspaceId> rows, Recorder recorder) {}

    private static final class Recorder implements ClusterChannel.Receiver {
        final Queue<RemoteEvent> events = new ConcurrentLinkedQueue<>();
        final Queue<WorkspaceId> rows = new ConcurrentLinkedQueue<>();
        final Queue<WorkspaceId> tokens = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger cutOff = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void rowsMayHaveChanged() {
            cutOff.incrementAndGet();
        }

        @Override
        public void event(RemoteEvent event) {
            events.add(event);
        }

        @Override
        public void rowChanged(WorkspaceId id) {
            rows.add(id);
        }

        @Override
        public void tokensChanged(WorkspaceId id) {
            tokens.add(id);
        }
    }

    private Replica replica() {
        JdbcStore store = Stores.open(databaseUrl(), PostgresServer.SUPERUSER, null);
        opened.add(store);
        Recorder recorder = new Recorder();
        store.channel().listen(recorder);
        awaitListeners(opened.size());
        return new Replica(store, recorder.events, recorder.rows, recorder);
    }

    private void awaitListeners(int count) {
        await().atMost(CROSSING).until(() -> listeners() == count);
    }

    private long listeners() throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl(), PostgresServer.SUPERUSER, null);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                        + " '%:listener' AND datname = current_database() AND query LIKE 'LISTEN%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static WorkspaceId create(Replica replica) {
        WorkspaceId id = WorkspaceId.random();
        replica.store.create(
                new NewWorkspace(id, "ws", null, 2, "echo", "process", WorkspaceStatus.PROVISIONING, null, null, null),
                new WorkspaceEvent.Provisioning(id, "ws", 2, "echo"),
                T0);
        return id;
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        databaseUrl().substring(0, databaseUrl().lastIndexOf('/') + 1) + "postgres",
                        PostgresServer.SUPERUSER,
                        null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String databaseName() {
        return databaseUrl().substring(databaseUrl().lastIndexOf('/') + 1);
    }

    private String databaseUrl() {
        if (url == null) {
            throw new IllegalStateException("no database");
        }
        return url;
    }
}
