package dev.lifeline.supervisor;

import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The row each workspace's last heartbeat left, so that the next one, which usually changes nothing
 * but its figures, reads no row. A row is let go on every write other than a heartbeat's — by this
 * server (the store says so synchronously) or another replica (its notice) — and after {@link
 * #LIFETIME} against a lost notice. A row read while a write was let go is not kept.
 */
public final class HeartbeatRows {
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private record Seen(Workspace row, long atNanos) {}

    private final ConcurrentHashMap<WorkspaceId, Seen> rows = new ConcurrentHashMap<>();
    private final AtomicLong forgets = new AtomicLong();
    private final LongSupplier nanos;
    private final boolean keeps;

    /** Rows kept; whoever makes it must have every write other than a heartbeat's {@link #forget} them. */
    public HeartbeatRows(LongSupplier nanos) {
        this(nanos, true);
    }

    private HeartbeatRows(LongSupplier nanos, boolean keeps) {
        this.nanos = nanos;
        this.keeps = keeps;
    }

    /** Keeps nothing: every heartbeat reads its row. For a store that tells no one of its writes. */
    public static HeartbeatRows none() {
        return new HeartbeatRows(System::nanoTime, false);
    }

    /** A count that changes whenever a row is let go; a row read before it changed is not kept. */
    long version() {
        return forgets.get();
    }

    Optional<Workspace> seen(WorkspaceId id) {
        Seen seen = rows.get(id);
        if (seen == null || nanos.getAsLong() - seen.atNanos() >= LIFETIME.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(seen.row());
    }

    /** Keeps {@code row}, unless a row was let go since {@code version}. */
    void remember(Workspace row, long version) {
        if (!keeps) {
            return;
        }
        rows.put(row.id(), new Seen(row, nanos.getAsLong()));
        if (forgets.get() != version) {
            rows.remove(row.id());
        }
    }

    /** Lets go of {@code id}'s row; to be called after every write to it other than a heartbeat's. */
    public void forget(WorkspaceId id) {
        forgets.incrementAndGet();
        rows.remove(id);
    }

    /** Lets go of every row; for when writes may have gone unannounced. */
    public void forgetAll() {
        forgets.incrementAndGet();
        rows.clear();
    }
}
