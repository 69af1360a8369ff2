package dev.lifeline.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Workspace rows kept so that reading one costs no database round trip. Whoever keeps a cache lets
 * a row go after every write to it ({@link #forget}): this server's own writes synchronously, another
 * replica's on its notice. A row lasts at most the cache's lifetime, which bounds how long a change
 * whose notice was lost goes unseen. A row read while a write was let go is not kept, so a forgotten
 * row cannot come back stale.
 */
public final class RowCache {
    private record Kept(Workspace row, long atNanos) {}

    private final long lifetimeNanos;
    private final int maxRows;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<WorkspaceId, Kept> rows = new ConcurrentHashMap<>();
    private final AtomicLong forgets = new AtomicLong();

    /**
     * @param lifetime how long a row lasts when no write lets it go first; zero keeps nothing
     * @param maxRows how many rows at most; reaching it lets every row go
     */
    public RowCache(Duration lifetime, int maxRows, LongSupplier nanos) {
        if (lifetime.isNegative() || maxRows < 1) {
            throw new IllegalArgumentException("a row cache needs a lifetime of zero or more and room for a row");
        }
        this.lifetimeNanos = lifetime.toNanos();
        this.maxRows = maxRows;
        this.nanos = nanos;
    }

    /** A cache that keeps nothing: for a store that tells no one of its writes. */
    public static RowCache none() {
        return new RowCache(Duration.ZERO, 1, System::nanoTime);
    }

    /** A count that changes whenever a row is let go; read it before reading the row that {@link #keep} keeps. */
    public long version() {
        return forgets.get();
    }

    /** The row of {@code id}, while it is kept and within its lifetime. */
    public Optional<Workspace> fresh(WorkspaceId id) {
        Kept kept = rows.get(id);
        return kept != null && nanos.getAsLong() - kept.atNanos() < lifetimeNanos
                ? Optional.of(kept.row())
                : Optional.empty();
    }

    /** Keeps {@code row}, unless a row was let go since {@code version}: a write may have raced with its read. */
    public void keep(Workspace row, long version) {
        if (lifetimeNanos == 0) {
            return;
        }
        Kept kept = new Kept(row, nanos.getAsLong());
        if (rows.size() >= maxRows) {
            rows.clear();
        }
        rows.put(row.id(), kept);
        if (forgets.get() != version) {
            rows.remove(row.id(), kept);
        }
    }

    /** Lets go of the row of {@code id}; to be called after every write to it. */
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
