package dev.lifeline.store;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.WorkspaceStore;

/** A {@link WorkspaceStore} on a JDBC database whose connection pool it owns until closed. */
public interface JdbcStore extends WorkspaceStore, AutoCloseable {

    /** The queue of A2A calls that wait for a busy agent, in the same database. */
    CallQueue callQueue();

    /**
     * The id every server on this database shares, for what shared backends create: the id of the
     * first server that asked, which was {@code candidate} if none did before.
     */
    String fleetId(String candidate);

    /**
     * How the replicas sharing this database hear each other: LISTEN/NOTIFY on PostgreSQL, {@link
     * ClusterChannel#SOLO} on H2 (one process). Closed with the store.
     */
    ClusterChannel channel();

    /** Closes the connection pool; an in-memory H2 database is dropped with it. */
    @Override
    void close();
}
