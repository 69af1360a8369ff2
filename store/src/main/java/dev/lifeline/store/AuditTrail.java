package dev.lifeline.store;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the store keeps the A2A audit trail: the {@code activity_logs} table on PostgreSQL ({@link
 * SqlAuditTrail}), a key-value file beside an embedded H2 database ({@link ActivityJournal}). Both keep
 * the contract of {@link dev.lifeline.core.WorkspaceStore}'s activity methods; a failure is a {@link
 * dev.lifeline.core.StoreException} naming the operation.
 */
interface AuditTrail extends AutoCloseable {

    /**
     * Appends the rows in order; none of them when a workspace's row is missing. The table does it in
     * one transaction; the journal, which has none, may keep part of a batch whose write failed.
     */
    void record(List<Activity> activities);

    /** What {@code query} selects, newest first (by time, then by order of recording); its limit is positive. */
    List<StoredActivity> select(ActivityQuery query);

    /** When the workspace last took part in a call, as target or as caller. */
    Optional<Instant> lastAt(WorkspaceId id);

    /** Deletes at most {@code limit} rows recorded before {@code cutoff}; returns how many. */
    int deleteOlderThan(Instant cutoff, int limit);

    @Override
    void close();
}
