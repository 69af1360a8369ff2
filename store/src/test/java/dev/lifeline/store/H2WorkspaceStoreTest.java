package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on H2, plus what only the embedded database does. */
class H2WorkspaceStoreTest extends WorkspaceStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected Database emptyDatabase() {
        return new Database("jdbc:h2:mem:contract-" + DATABASES.incrementAndGet(), null, null);
    }

    @Test
    void aFileDatabaseKeepsItsWorkspacesAcrossRestarts(@TempDir Path dataDir) {
        String url = Stores.embeddedUrl(dataDir);
        Workspace created;
        try (JdbcStore first = Stores.open(url, null, null)) {
            WorkspaceId id = WorkspaceId.random();
            created = first.create(newWorkspace(id), provisioning(id), T0);
        }

        try (JdbcStore second = Stores.open(url, null, null)) {
            assertThat(second.find(created.id())).contains(created);
            assertThat(second.recentEvents(created.id(), 10)).hasSize(1);
        }
        assertThat(dataDir.resolve("lifeline.mv.db")).exists();
    }

    @Test
    void aFileDatabaseKeepsItsAuditTrailInAFileOfItsOwnAcrossRestarts(@TempDir Path dataDir) {
        String url = Stores.embeddedUrl(dataDir);
        WorkspaceId id = WorkspaceId.random();
        try (JdbcStore first = Stores.open(url, null, null)) {
            first.create(newWorkspace(id), provisioning(id), T0);
            first.recordActivities(List.of(
                    ActivityLogContract.activity(id, "old", T0.plusSeconds(1)),
                    ActivityLogContract.activity(id, "kept", T0.plusSeconds(5))));
            assertThat(first.deleteActivityOlderThan(T0.plusSeconds(2), 10)).isEqualTo(1);
        }

        try (JdbcStore second = Stores.open(url, null, null)) {
            second.recordActivity(ActivityLogContract.activity(id, "after the restart", T0.plusSeconds(9)));
            List<StoredActivity> trail = second.activity(ActivityQuery.recent(id, 10));
            assertThat(trail).extracting(s -> s.activity().summary()).containsExactly("after the restart", "kept");
            assertThat(trail.getFirst().id()).isGreaterThan(trail.getLast().id());
            assertThat(second.lastActivityAt(id)).contains(T0.plusSeconds(9));
        }
        assertThat(dataDir.resolve("lifeline-activity.mv.db")).exists();
    }

    @Test
    void theJournalReadsBackEveryFieldOfRowsInAnyScriptFromItsFileAfterARestart(@TempDir Path dataDir) {
        String url = Stores.embeddedUrl(dataDir);
        WorkspaceId id = WorkspaceId.random();
        WorkspaceId caller = WorkspaceId.random();
        // One, two, three and four (a surrogate pair) bytes a character, and fields left null, over many pages.
        List<String> texts = List.of("plain", "café", "ошибка", "代理", "🦊 fox", "");
        List<Activity> written = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String text = texts.get(i % texts.size()) + " " + i;
            boolean full = i % 2 == 0;
            written.add(new Activity(
                    id,
                    Activity.A2A_RECEIVE,
                    full ? caller.toString() : null,
                    full ? caller : null,
                    full ? "message/send" : null,
                    text,
                    full ? "{\"q\":\"" + text + "\"}" : null,
                    full ? "{\"a\":\"" + text.repeat(i % 7) + "\"}" : null,
                    i,
                    full ? Activity.OK : Activity.ERROR,
                    full ? null : "upstream said " + text,
                    T0.plusMillis(i)));
        }
        try (JdbcStore first = Stores.open(url, null, null)) {
            first.create(newWorkspace(id), provisioning(id), T0);
            first.recordActivities(written);
        }

        try (JdbcStore second = Stores.open(url, null, null)) {
            List<Activity> read = second.activity(ActivityQuery.recent(id, 1_000)).stream()
                    .map(StoredActivity::activity)
                    .toList();
            assertThat(read).containsExactlyElementsOf(written.reversed());
        }
    }

    @Test
    void aBatchTheJournalCannotStoreWholeLeavesNoneOfItsRows() {
        try (JdbcStore store = Stores.inMemoryH2("a-batch-that-fails")) {
            WorkspaceId id = WorkspaceId.random();
            store.create(newWorkspace(id), provisioning(id), T0);
            Activity beyondTheJournalsClock = ActivityLogContract.activity(id, "in the year 1e9", Instant.MAX);

            assertThatThrownBy(() -> store.recordActivities(List.of(
                            ActivityLogContract.activity(id, "put before the failure", T0.plusSeconds(1)),
                            beyondTheJournalsClock)))
                    .isInstanceOf(ArithmeticException.class);
            store.recordActivity(ActivityLogContract.activity(id, "the next batch", T0.plusSeconds(2)));

            assertThat(store.activity(ActivityQuery.recent(id, 10)))
                    .extracting(s -> s.activity().summary())
                    .containsExactly("the next batch");
        }
    }

    @Test
    void rowsAnEarlierVersionLeftInTheActivityTableMoveIntoTheJournalWithTheirIds(@TempDir Path dataDir)
            throws SQLException {
        String url = Stores.embeddedUrl(dataDir);
        WorkspaceId id = WorkspaceId.random();
        try (JdbcStore first = Stores.open(url, null, null)) {
            first.create(newWorkspace(id), provisioning(id), T0);
        }
        try (Connection c = DriverManager.getConnection(JdbcUrls.effective(url));
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO activity_logs"
                                + " (id, workspace_id, activity_type, summary, created_at) VALUES (?, ?, 'a2a_receive', ?, ?)")) {
            for (int i = 1; i <= 1_500; i++) { // two of the moves' batches
                insert.setLong(1, 2L * i);
                insert.setObject(2, id.value());
                insert.setString(3, "row " + i);
                insert.setObject(4, T0.plusSeconds(i).atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }

        try (JdbcStore second = Stores.open(url, null, null)) {
            List<StoredActivity> moved = second.activity(ActivityQuery.recent(id, 2_000));
            assertThat(moved).hasSize(1_500);
            assertThat(moved.getFirst().id()).isEqualTo(3_000);
            assertThat(moved.getFirst().activity().summary()).isEqualTo("row 1500");
            assertThat(moved.getLast().id()).isEqualTo(2);
            assertThat(moved.getLast().activity().at()).isEqualTo(T0.plusSeconds(1));

            second.recordActivity(ActivityLogContract.activity(id, "new", T0.plusSeconds(2_000)));
            assertThat(second.activity(ActivityQuery.recent(id, 1)).getFirst().id())
                    .isGreaterThan(3_000);
            try (Connection c = DriverManager.getConnection(JdbcUrls.effective(url));
                    ResultSet left = c.createStatement().executeQuery("SELECT COUNT(*) FROM activity_logs")) {
                assertThat(left.next()).isTrue();
                assertThat(left.getInt(1)).isZero();
            }
        }
    }

    @Test
    void closingAnInMemoryStoreDropsItsDatabase() {
        try (JdbcStore first = Stores.inMemoryH2("dropped-on-close")) {
            WorkspaceId id = WorkspaceId.random();
            first.create(newWorkspace(id), provisioning(id), T0);
        }

        try (JdbcStore second = Stores.inMemoryH2("dropped-on-close")) {
            assertThat(second.list()).isEmpty();
        }
    }

    private static NewWorkspace newWorkspace(WorkspaceId id) {
        return new NewWorkspace(id, "alpha", null, 1, "echo", "process", ONLINE, null, null, null);
    }

    private static WorkspaceEvent provisioning(WorkspaceId id) {
        return new WorkspaceEvent.Provisioning(id, "alpha", 1, "echo");
    }
}
