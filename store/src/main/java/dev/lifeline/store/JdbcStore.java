package dev.lifeline.store;

import dev.lifeline.core.WorkspaceStore;

/** A {@link WorkspaceStore} on a JDBC database whose connection pool it owns until closed. */
public interface JdbcStore extends WorkspaceStore, AutoCloseable {

    /** Closes the connection pool; an in-memory H2 database is dropped with it. */
    @Override
    void close();
}
