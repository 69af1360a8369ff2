package dev.lifeline.store;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The call queue on a real PostgreSQL server, where claims lock with SKIP LOCKED (one per test run, a fresh database per test).
 * If this machine cannot run PostgreSQL the class is skipped with the reason, unless the environment
 * sets {@code LIFELINE_REQUIRE_POSTGRES=true} or {@code CI=true} (as CI does), which turns the skip into
 * a failure.
 */
class PostgresCallQueueTest extends CallQueueContract {
    @RegisterExtension
    static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the PostgreSQL queue tests");

    @Override
    protected Database emptyDatabase() {
        try {
            return new Database(POSTGRES.createDatabase(), PostgresServer.SUPERUSER, null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
    }
}
