package dev.lifeline.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.LoopLeases;
import dev.lifeline.core.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jspecify.annotations.Nullable;

/** Opens the JDBC workspace store: a connection pool on a migrated H2 or PostgreSQL database. */
public final class Stores {
    private static final Pattern MEMORY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Stores() {}

    /**
     * Connects to {@code jdbcUrl} and migrates its schema to the current version. An H2 URL that does
     * not choose a {@code MODE} is run in PostgreSQL mode with lower-case names, so that both
     * databases execute the same SQL.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static JdbcStore open(String jdbcUrl, @Nullable String user, @Nullable String password) {
        String url = JdbcUrls.effective(jdbcUrl);
        String origin = "lifeline:" + UUID.randomUUID();
        HikariDataSource pool = pool(url, user, password, origin);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .javaMigrations(
                            new V10__Cluster_notices(), new V16__Token_notices(), new V17__Quiet_heartbeat_rows())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("could not migrate the workspace database", e);
        }
        Jdbi jdbi = Jdbi.create(pool);
        SqlTypes.register(jdbi);
        // Bound values (token hashes among them) stay out of exception messages.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Stores::withoutArguments);
        Runnable close = JdbcUrls.isH2InMemory(url) ? () -> closeAndDropH2(pool, url, user, password) : pool::close;
        AuditTrail trail;
        try {
            trail = JdbcUrls.isH2Embedded(url) ? ActivityJournal.open(journalFile(url), jdbi) : new SqlAuditTrail(jdbi);
        } catch (RuntimeException e) {
            close.run();
            throw e;
        }
        ClusterChannel channel = JdbcUrls.isPostgres(url)
                ? new PostgresChannel(jdbi, () -> listening(url, user, password, origin), origin)
                : ClusterChannel.SOLO;
        return new JdbiWorkspaceStore(jdbi, trail, channel, close, JdbcUrls.isPostgres(url));
    }

    /**
     * The leases of the periodic loops among the servers on {@code jdbcUrl}: on PostgreSQL, where
     * several replicas may share the database, advisory locks on a session of their own, opened at
     * the first round; on H2, which only one process opens, every loop is held, at no cost. The
     * caller closes them.
     */
    public static LoopLeases loopLeases(String jdbcUrl, @Nullable String user, @Nullable String password) {
        String url = JdbcUrls.effective(jdbcUrl);
        if (!JdbcUrls.isPostgres(url)) {
            return LoopLeases.alone();
        }
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("logServerErrorDetail", "false");
        properties.setProperty("ApplicationName", "lifeline-loop-leases");
        return new AdvisoryLeases(() -> DriverManager.getConnection(url, properties));
    }

    /**
     * The embedded database's audit trail lives beside it: {@code lifeline-activity.mv.db} next to
     * {@code lifeline.mv.db}; in memory with an in-memory database.
     */
    private static @Nullable Path journalFile(String url) {
        Path database = JdbcUrls.h2File(url);
        return database == null ? null : database.resolveSibling(database.getFileName() + "-activity.mv.db");
    }

    /** A private in-memory H2 database, dropped when the store is closed; for tests. */
    public static JdbcStore inMemoryH2(String name) {
        if (!MEMORY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("in-memory database name must match " + MEMORY_NAME);
        }
        return open("jdbc:h2:mem:" + name, null, null);
    }

    /** The default embedded database: an H2 file {@code lifeline} in {@code dataDir}. */
    public static String embeddedUrl(Path dataDir) {
        // WRITE_DELAY=0: a change the API confirmed must survive a SIGKILL of the server a moment later.
        // CACHE_SIZE (KiB): H2's page cache is 16 MiB by default. Every page an audit row writes enters
        // it, so under load the cache's churn is what the young collections copy and scan; at 4 MiB the
        // proxy's young pauses were about half as long (BENCHMARKS.md), and the rows Lifeline reads
        // often are cached in Lifeline itself.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("lifeline")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;CACHE_SIZE=4096";
    }

    /**
     * The connection a replica listens on, apart from the pool; named after the replica so that an
     * operator can tell it from the pool's.
     */
    private static Connection listening(String url, @Nullable String user, @Nullable String password, String origin)
            throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", origin + ":listener");
        properties.setProperty("logServerErrorDetail", "false");
        return DriverManager.getConnection(url, properties);
    }

    private static HikariDataSource pool(String url, @Nullable String user, @Nullable String password, String origin) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("lifeline-store");
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        if (JdbcUrls.isPostgres(url)) {
            // Keeps row values (e.g. a duplicate key) out of server error messages.
            config.addDataSourceProperty("logServerErrorDetail", "false");
            // The database stamps each notice with it, so that a replica knows its own.
            config.addDataSourceProperty("ApplicationName", origin);
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("could not connect to the workspace database", e);
        }
    }

    private static String withoutArguments(StatementException e) {
        var ctx = e.getStatementContext();
        return ctx == null
                ? e.getShortMessage()
                : e.getShortMessage() + " [statement:\"" + ctx.getRenderedSql() + "\"]";
    }

    /** Drops an in-memory database, which {@code DB_CLOSE_DELAY=-1} keeps after its pool is gone. */
    private static void closeAndDropH2(
            HikariDataSource pool, String url, @Nullable String user, @Nullable String password) {
        pool.close();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new StoreException("could not drop the in-memory workspace database", e);
        }
    }
}
