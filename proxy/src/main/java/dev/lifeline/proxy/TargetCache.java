package dev.lifeline.proxy;

import dev.lifeline.core.RowCache;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The workspace rows the proxy routes by, so that a call costs no database read: a {@link RowCache}
 * that loads from the store what it does not hold. A row leaves it when this server writes it
 * ({@link #forget}, called synchronously after the write), when another replica's write is announced
 * (also {@link #forget}), and at the latest after {@code ttl}.
 */
final class TargetCache {
    private static final int MAX_ROWS = 10_000;

    private final WorkspaceStore store;
    private final RowCache rows;

    TargetCache(WorkspaceStore store, Duration ttl, LongSupplier nanoTime) {
        this.store = store;
        this.rows = new RowCache(ttl, MAX_ROWS, nanoTime);
    }

    /** The row of {@code id}, from the cache while fresh, else from the store. */
    Optional<Workspace> find(WorkspaceId id) {
        Optional<Workspace> cached = rows.fresh(id);
        if (cached.isPresent()) {
            return cached;
        }
        long version = rows.version();
        Optional<Workspace> loaded = store.find(id);
        loaded.ifPresent(row -> rows.keep(row, version));
        return loaded;
    }

    /** The row of {@code id} while it is cached and fresh; never reads the store. */
    Optional<Workspace> peek(WorkspaceId id) {
        return rows.fresh(id);
    }

    /** Drops the row of {@code id}; called after every write to it. */
    void forget(WorkspaceId id) {
        rows.forget(id);
    }

    /** Drops every row; called when writes may have gone unannounced. */
    void forgetAll() {
        rows.forgetAll();
    }
}
