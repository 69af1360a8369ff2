package dev.lifeline.store;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The call queue on a real PostgreSQL server, where claims lock with SKIP LOCKED (one per test class, a fresh database per test).
 * If this machine cannot run PostgreSQL the class is skipped with the reason, unless the environment
 * sets {@code LIFELINE_REQUIRE_POSTGRES=true} or {@code CI=true} (as CI does), which turns the skip into
 * a failure.
 */
class PostgresCallQueueTest extends CallQueueContract {
    private static @Nullable PostgresServer server;
    private static String unavailable = "PostgreSQL was not started";

    @BeforeAll
    static void startPostgres() throws Exception {
        PostgresServer.ForTests started = PostgresServer.startForTests("the PostgreSQL queue tests");
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

    /** Skips each test, with the reason, when the server could not start. */
    private static PostgresServer running() {
        if (server == null) {
            return Assumptions.abort(unavailable);
        }
        return server;
    }
}
