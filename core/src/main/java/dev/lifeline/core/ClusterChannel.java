package dev.lifeline.core;

/**
 * What the replicas sharing one database tell each other: their events and which workspace rows
 * they wrote. A persisted event travels with its row (the store announces it in the transaction
 * that inserts it); a broadcast-only event travels through {@link #broadcast}.
 */
public interface ClusterChannel extends AutoCloseable {

    /**
     * The channel of a server that shares its database with no one: it sends nothing, hears
     * nothing and runs nothing.
     */
    ClusterChannel SOLO = new ClusterChannel() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public void broadcast(PublishedEvent event) {}

        @Override
        public void listen(Receiver receiver) {}

        @Override
        public void close() {}
    };

    /** Whether other replicas may hear this one; false only for {@link #SOLO}. */
    default boolean shared() {
        return true;
    }

    /**
     * Tells the other replicas about a broadcast-only event, its payload trimmed to the channel's
     * bound if need be. Never throws: a replica that misses it misses a broadcast, nothing stored.
     */
    void broadcast(PublishedEvent event);

    /**
     * Hands what the other replicas announce to {@code receiver}, from now until closed, on one
     * thread of the channel's own, in the order the database committed it.
     */
    void listen(Receiver receiver);

    /** Stops listening. */
    @Override
    void close();

    /** Where a replica's channel delivers what the others announced. */
    interface Receiver {
        /** An event another replica produced, once. */
        void event(RemoteEvent event);

        /** Another replica wrote the row of {@code id}. */
        void rowChanged(WorkspaceId id);

        /** Another replica minted or revoked a token of {@code id}, or removed it. */
        void tokensChanged(WorkspaceId id);

        /** The channel was cut off for a while: any row or token may have changed unannounced. */
        void rowsMayHaveChanged();
    }
}
