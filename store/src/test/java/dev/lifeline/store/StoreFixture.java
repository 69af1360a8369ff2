package dev.lifeline.store;

import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Opens a store on an empty database before each test and offers raw SQL for checking columns. */
abstract class StoreFixture {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** An empty database a test may migrate and fill. */
    record Database(
            String url, @Nullable String user, @Nullable String password) {}

    /** A database no other test has used. */
    protected abstract Database emptyDatabase();

    private @Nullable Database database;
    private @Nullable JdbcStore opened;

    @BeforeEach
    final void openStore() {
        database = emptyDatabase();
        opened = Stores.open(database.url(), database.user(), database.password());
    }

    @AfterEach
    final void closeStore() {
        if (opened != null) {
            opened.close();
        }
    }

    final JdbcStore store() {
        if (opened == null) {
            throw new IllegalStateException("store not open");
        }
        return opened;
    }

    /** A second store on the same database, as another server would open it; the caller closes it. */
    final JdbcStore openAnother() {
        if (database == null) {
            throw new IllegalStateException("no database");
        }
        return Stores.open(database.url(), database.user(), database.password());
    }

    final Workspace create(WorkspaceStatus status) {
        return create(WorkspaceId.random(), status, T0);
    }

    final Workspace create(WorkspaceId id, WorkspaceStatus status, Instant at) {
        return store().create(
                        new NewWorkspace(
                                id, "ws-" + id.shortForm(), null, 2, "echo", "process", status, null, null, null),
                        new WorkspaceEvent.Provisioning(id, "ws-" + id.shortForm(), 2, "echo"),
                        at);
    }

    /** Applies a transition that must succeed. */
    final void apply(Transition transition) {
        if (store().transition(transition).isEmpty()) {
            throw new AssertionError("transition refused: " + transition);
        }
    }

    static Transition offline(WorkspaceId id, Instant at) {
        return Transition.to(id, WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(id, "sweep"), at);
    }

    static Transition online(WorkspaceId id, Instant at) {
        return Transition.to(id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Online(id, null, null, null), at);
    }

    static Transition reprovision(WorkspaceId id, Instant at) {
        WorkspaceEvent event = new WorkspaceEvent.Provisioning(id, "ws", 2, "echo");
        return Transition.to(id, WorkspaceStatus.PROVISIONING, event, at).withNewGeneration();
    }

    static Transition remove(WorkspaceId id, Instant at) {
        return Transition.to(id, WorkspaceStatus.REMOVED, new WorkspaceEvent.Removed(id), at);
    }

    static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    final List<String> eventTypes(WorkspaceId id) {
        return store().recentEvents(id, 100).stream().map(e -> e.type()).toList();
    }

    /** Runs a statement on a connection of its own, bypassing the store. */
    final void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The single value a query returns, as text (null for SQL NULL). */
    final @Nullable String value(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row for " + sql);
            }
            return rs.getString(1);
        }
    }

    private Connection connect() throws SQLException {
        if (database == null) {
            throw new IllegalStateException("no database");
        }
        return DriverManager.getConnection(JdbcUrls.effective(database.url()), database.user(), database.password());
    }
}
