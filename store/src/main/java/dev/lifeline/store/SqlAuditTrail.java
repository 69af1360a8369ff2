package dev.lifeline.store;

import static dev.lifeline.store.StoreCalls.call;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The audit trail as the {@code activity_logs} table, in the store's own database; on PostgreSQL. */
final class SqlAuditTrail implements AuditTrail {
    private final Jdbi jdbi;

    SqlAuditTrail(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(List<Activity> activities) {
        call(
                "record activity",
                () -> jdbi.inTransaction(h -> {
                    ActivityLog.insertAll(h, activities);
                    return activities.size();
                }));
    }

    @Override
    public List<StoredActivity> select(ActivityQuery query) {
        return call("read activity", () -> jdbi.withHandle(h -> ActivityLog.select(h, query)));
    }

    @Override
    public Optional<Instant> lastAt(WorkspaceId id) {
        return call("read last activity", () -> jdbi.withHandle(h -> ActivityLog.lastAt(h, id)));
    }

    @Override
    public int deleteOlderThan(Instant cutoff, int limit) {
        return call(
                "delete old activity", () -> jdbi.withHandle(h -> OldRows.delete(h, "activity_logs", cutoff, limit)));
    }

    @Override
    public void close() {}
}
