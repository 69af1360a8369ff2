package dev.lifeline.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class the real PostgreSQL server of its test run: the first class that registers this
 * extension starts it, every later class in the same JVM shares it, and it stops when the run ends.
 * Each test creates its own database, so classes do not see each other's data.
 *
 * <p>When this machine cannot run PostgreSQL, each class prints why its tests are skipped, and every
 * test that asks for the server is skipped with that reason; unless the environment sets
 * {@code LIFELINE_REQUIRE_POSTGRES=true} or {@code CI=true} (as CI does), where the class fails instead.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedPostgres POSTGRES = new EmbeddedPostgres("the lease tests");
 * }</pre>
 */
public final class EmbeddedPostgres implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPostgres.class);

    private final String tests;
    private @Nullable PostgresServer server;
    private String unavailable = "PostgreSQL was not started";

    /** {@code tests} names the class's tests in the reason printed when they are skipped. */
    public EmbeddedPostgres(String tests) {
        this.tests = tests;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Start start = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Start.class, key -> Start.attempt(), Start.class);
        server = start.server();
        Exception failure = start.failure();
        if (failure == null) {
            return;
        }
        if ("true".equals(System.getenv("LIFELINE_REQUIRE_POSTGRES")) || "true".equals(System.getenv("CI"))) {
            throw failure;
        }
        unavailable = "PostgreSQL could not be started, skipping " + tests + ": " + failure.getMessage();
        System.err.println(unavailable);
    }

    /** A new, empty database on the server. */
    public String createDatabase() throws SQLException {
        return running().createDatabase();
    }

    /** The address of {@code database} on the server ({@code postgres} for administration). */
    public String jdbcUrl(String database) {
        return running().jdbcUrl(database);
    }

    /** The server; or, when there is none, skips the calling test with the reason. */
    private PostgresServer running() {
        PostgresServer running = server;
        if (running == null) {
            return Assumptions.abort(unavailable);
        }
        return running;
    }

    /** The run's one attempt to start the server: the server, or why it did not start. */
    private record Start(
            @Nullable PostgresServer server, @Nullable Exception failure) implements AutoCloseable {
        static Start attempt() {
            try {
                return new Start(
                        PostgresServer.start(
                                Path.of("target", "embedded-postgres").toAbsolutePath()),
                        null);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return new Start(null, e);
            }
        }

        /** Called by JUnit when the test run ends. */
        @Override
        public void close() throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }
}
