package dev.lifeline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A migration only PostgreSQL runs: the triggers through which replicas hear each other. H2 serves
 * one process and records the version with nothing done.
 */
abstract class PostgresOnlyMigration extends BaseJavaMigration {

    /** The statements, run in order. */
    abstract List<String> statements();

    @Override
    public final void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (Statement s = c.createStatement()) {
            for (String sql : statements()) {
                s.execute(sql);
            }
        }
    }
}
