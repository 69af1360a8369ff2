package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.LoopLeases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas' loop leases on one real PostgreSQL: each loop has one holder at a time, and a loop
 * whose holder's session ends goes to the other replica at its next attempt. Skipped, with the
 * reason, when this machine cannot run PostgreSQL (unless CI requires it).
 */
class PostgresLoopLeasesTest {
    @RegisterExtension
    static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the PostgreSQL lease tests");

    private final AtomicReference<@Nullable Connection> firstSession = new AtomicReference<>();
    private @Nullable LoopLeases first;
    private @Nullable LoopLeases second;

    @BeforeEach
    void twoReplicas() throws SQLException {
        String url = POSTGRES.createDatabase();
        first = new AdvisoryLeases(() -> {
            Connection c = DriverManager.getConnection(url, PostgresServer.SUPERUSER, null);
            firstSession.set(c);
            return c;
        });
        second = Stores.loopLeases(url, PostgresServer.SUPERUSER, null);
    }

    @AfterEach
    void closeLeases() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void eachLoopHasOneHolderAtATime() {
        assertThat(first().hold("sweep")).isTrue();
        assertThat(second().hold("sweep")).isFalse();
        assertThat(second().hold("retention")).isTrue();
        assertThat(first().hold("retention")).isFalse();

        assertThat(first().hold("sweep"))
                .as("a holder keeps its loop round after round")
                .isTrue();
        assertThat(second().hold("sweep")).isFalse();
    }

    @Test
    void whenTheHoldersSessionEndsTheOtherReplicaTakesTheLoopAtItsNextAttempt() throws SQLException {
        assertThat(first().hold("sweep")).isTrue();
        assertThat(second().hold("sweep")).isFalse();

        endFirstSessionAsIfItsReplicaDied();

        assertThat(second().hold("sweep")).isTrue();
        assertThat(first().hold("sweep"))
                .as("the old holder notices its session is gone and does not run the loop too")
                .isFalse();
    }

    @Test
    void aReplicaThatStopsGivesUpItsLoops() {
        assertThat(first().hold("sweep")).isTrue();

        first().close();

        // the server ends the closed session's backend, and with it the lock, a moment after the client
        await().atMost(Duration.ofSeconds(10)).until(() -> second().hold("sweep"));
    }

    @Test
    void onH2EveryLoopIsHeldWithoutAConnection() {
        LoopLeases embedded = Stores.loopLeases("jdbc:h2:mem:leases", null, null);

        assertThat(embedded).isSameAs(LoopLeases.alone());
        assertThat(embedded.hold("sweep")).isTrue();
    }

    /** Ends the first replica's session from the server side and waits until its backend is gone. */
    private void endFirstSessionAsIfItsReplicaDied() throws SQLException {
        Connection session = firstSession.get();
        if (session == null) {
            throw new IllegalStateException("the first replica has no session");
        }
        long pid;
        try (Statement s = session.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getLong(1);
        }
        try (Connection admin =
                        DriverManager.getConnection(POSTGRES.jdbcUrl("postgres"), PostgresServer.SUPERUSER, null);
                Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(" + pid + ", 10000)")) {
            assertThat(rs.next() && rs.getBoolean(1)).as("the session ended").isTrue();
        }
    }

    private LoopLeases first() {
        if (first == null) {
            throw new IllegalStateException("not set up");
        }
        return first;
    }

    private LoopLeases second() {
        if (second == null) {
            throw new IllegalStateException("not set up");
        }
        return second;
    }
}
