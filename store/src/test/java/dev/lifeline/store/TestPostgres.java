package dev.lifeline.store;

import java.nio.file.Path;
import java.sql.SQLException;

/** A real PostgreSQL server for the tests of other modules, one empty database at a time. */
public final class TestPostgres implements AutoCloseable {
    public static final String USER = PostgresServer.SUPERUSER;

    private final PostgresServer server;

    private TestPostgres(PostgresServer server) {
        this.server = server;
    }

    /**
     * Starts a server with its files under {@code workDir}.
     *
     * @throws Exception when this machine cannot run PostgreSQL, or starting it failed
     */
    public static TestPostgres start(Path workDir) throws Exception {
        return new TestPostgres(PostgresServer.start(workDir));
    }

    /** The JDBC URL of a new, empty database. */
    public String createDatabase() throws SQLException {
        return server.createDatabase();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
