package dev.lifeline.store;

import java.util.List;

/**
 * On PostgreSQL, a workspace row written with nothing but a heartbeat's liveness figures (when it
 * beat, its error rate and sample, its active tasks, uptime and current task) is no longer announced
 * on {@link PostgresChannel#ROWS}: no replica caches a row for those, and a fleet's heartbeat
 * flushes announced every beating workspace every second to every replica. A change of anything
 * else, the reported spend among it (the proxy refuses calls over budget from cached rows), is
 * announced as before, and so is every insert and delete.
 */
// Flyway reads the version and description from the class name.
final class V17__Quiet_heartbeat_rows extends PostgresOnlyMigration {
    private static final String LIVENESS = "ARRAY['last_heartbeat_at', 'last_error_rate', 'last_sample_error',"
            + " 'active_tasks', 'uptime_seconds', 'current_task']";

    private static final List<String> POSTGRES = List.of(
            "DROP TRIGGER workspaces_notice ON workspaces",
            "CREATE TRIGGER workspaces_notice AFTER INSERT OR DELETE ON workspaces"
                    + " FOR EACH ROW EXECUTE FUNCTION lifeline_row_notice()",
            "CREATE TRIGGER workspaces_change_notice AFTER UPDATE ON workspaces FOR EACH ROW"
                    + " WHEN ((to_jsonb(OLD) - " + LIVENESS + ") IS DISTINCT FROM (to_jsonb(NEW) - " + LIVENESS + "))"
                    + " EXECUTE FUNCTION lifeline_row_notice()");

    @Override
    List<String> statements() {
        return POSTGRES;
    }
}
