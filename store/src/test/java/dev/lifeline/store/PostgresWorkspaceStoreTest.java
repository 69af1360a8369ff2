package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server (one per test class, a fresh database per test).
 * If this machine cannot run PostgreSQL the class is skipped with the reason, unless the environment
 * sets {@code LIFELINE_REQUIRE_POSTGRES=true} or {@code CI=true} (as CI does), which turns the skip into
 * a failure.
 */
class PostgresWorkspaceStoreTest extends WorkspaceStoreContract {
    private static @Nullable PostgresServer server;
    private static String unavailable = "PostgreSQL was not started";

    @BeforeAll
    static void startPostgres() throws Exception {
        PostgresServer.ForTests started = PostgresServer.startForTests("the PostgreSQL store tests");
        server = started.server();
        unavailable = started.unavailable();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    protected Database emptyDatabase() {
        try {
            return new Database(running().createDatabase(), PostgresServer.SUPERUSER, null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
    }

    @Test
    void theServerIsARealPostgresql() throws SQLException {
        assertThat(value("SELECT version()")).startsWith("PostgreSQL 17.");
        assertThat(value("SELECT data_type FROM information_schema.columns"
                        + " WHERE table_name = 'workspaces' AND column_name = 'created_at'"))
                .isEqualTo("timestamp with time zone");
    }

    /** Skips each test, with the reason, when the server could not start. */
    private static PostgresServer running() {
        if (server == null) {
            return Assumptions.abort(unavailable);
        }
        return server;
    }
}
