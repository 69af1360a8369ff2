package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL server (one per test run, a fresh database per test).
 * If this machine cannot run PostgreSQL the class is skipped with the reason, unless the environment
 * sets {@code LIFELINE_REQUIRE_POSTGRES=true} or {@code CI=true} (as CI does), which turns the skip into
 * a failure.
 */
class PostgresWorkspaceStoreTest extends WorkspaceStoreContract {
    @RegisterExtension
    static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the PostgreSQL store tests");

    @Override
    protected Database emptyDatabase() {
        try {
            return new Database(POSTGRES.createDatabase(), PostgresServer.SUPERUSER, null);
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
}
