package dev.lifeline.supervisor;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes activity rows and persisted events older than the {@link RetentionPolicy}: one bounded
 * statement at a time, each its own short transaction, repeated until a batch comes back short. It
 * runs on a thread of its own, so a large backlog delays no sweep, heartbeat or call.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final WorkspaceStore store;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final Optional<CallQueue> queue;
    private final Duration keepQueued;

    public Retention(WorkspaceStore store, RetentionPolicy policy, Clock clock) {
        this(store, policy, clock, null, Duration.ZERO);
    }

    /**
     * Also deletes the busy queue's delivered, failed and dropped calls older than {@code
     * keepQueued} (zero keeps them forever).
     */
    public Retention(
            WorkspaceStore store, RetentionPolicy policy, Clock clock, @Nullable CallQueue queue, Duration keepQueued) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.queue = Optional.ofNullable(queue);
        this.keepQueued = keepQueued;
    }

    /** What one round deleted. */
    public record Pruned(int activity, int events) {}

    /** One round: prunes both tables down to their cutoffs, as of now. */
    public Pruned prune() {
        Instant now = clock.instant();
        int activity = prune(policy.activity(), now, store::deleteActivityOlderThan);
        int events = prune(policy.events(), now, store::deleteEventsOlderThan);
        int queued = queue.map(q -> prune(keepQueued, now, q::deleteFinishedOlderThan))
                .orElse(0);
        if (activity + events + queued > 0) {
            log.info(
                    "retention deleted {} activity rows, {} events and {} finished queued calls",
                    activity,
                    events,
                    queued);
        }
        return new Pruned(activity, events);
    }

    private interface BatchDelete {
        int delete(Instant cutoff, int limit);
    }

    private int prune(Duration keep, Instant now, BatchDelete batch) {
        if (keep.isZero()) {
            return 0;
        }
        Instant cutoff = now.minus(keep);
        int total = 0;
        int deleted;
        do {
            deleted = batch.delete(cutoff, policy.batchSize());
            total += deleted;
        } while (deleted == policy.batchSize() && !Thread.currentThread().isInterrupted());
        return total;
    }
}
