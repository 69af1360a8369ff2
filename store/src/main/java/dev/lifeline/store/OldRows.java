package dev.lifeline.store;

import java.time.Instant;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Retention's deletes: a bounded number of rows older than a cutoff per statement, so that each
 * delete is a short transaction whose locks the hot path barely waits for. The subquery walks the
 * table's {@code created_at} index (V8) and takes the oldest rows first.
 */
final class OldRows {
    private static final Set<String> TABLES = Set.of("activity_logs", "structure_events");

    private OldRows() {}

    static int delete(Handle h, String table, Instant cutoff, int limit) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("no retention for table " + table);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        return h.createUpdate("DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table
                        + " WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)")
                .bind("cutoff", cutoff)
                .bind("limit", limit)
                .execute();
    }
}
