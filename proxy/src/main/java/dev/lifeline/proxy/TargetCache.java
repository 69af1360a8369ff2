package dev.lifeline.proxy;

import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The workspace rows the proxy routes by, so that a call costs no database read. A row leaves the
 * cache when this server writes it ({@link #forget}, called synchronously after the write), when
 * another replica's write is announced (also {@link #forget}), and at the latest after {@code ttl},
 * which bounds how long a change whose announcement was lost can go unseen. A load that raced with a write is not kept, so a forgotten row cannot come back stale.
 */
final class TargetCache {
    private static final int MAX_ROWS = 10_000;

    private record Entry(Workspace row, long loadedAt) {}

    private final WorkspaceStore store;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<WorkspaceId, Entry> rows = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    TargetCache(WorkspaceStore store, Duration ttl, LongSupplier nanoTime) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The row of {@code id}, from the cache while fresh, else from the store. */
    Optional<Workspace> find(WorkspaceId id) {
        long now = nanoTime.getAsLong();
        Entry cached = rows.get(id);
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return Optional.of(cached.row());
        }
        long before = writes.get();
        Optional<Workspace> loaded = store.find(id);
        if (loaded.isPresent() && ttlNanos > 0) {
            Entry entry = new Entry(loaded.get(), now);
            if (rows.size() >= MAX_ROWS) {
                rows.clear();
            }
            rows.put(id, entry);
            if (writes.get() != before) {
                rows.remove(id, entry);
            }
        }
        return loaded;
    }

    /** The row of {@code id} while it is cached and fresh; never reads the store. */
    Optional<Workspace> peek(WorkspaceId id) {
        Entry cached = rows.get(id);
        return cached != null && nanoTime.getAsLong() - cached.loadedAt() < ttlNanos
                ? Optional.of(cached.row())
                : Optional.empty();
    }

    /** Drops the row of {@code id}; called after every write to it. */
    void forget(WorkspaceId id) {
        writes.incrementAndGet();
        rows.remove(id);
    }

    /** Drops every row; called when writes may have gone unannounced. */
    void forgetAll() {
        writes.incrementAndGet();
        rows.clear();
    }
}
