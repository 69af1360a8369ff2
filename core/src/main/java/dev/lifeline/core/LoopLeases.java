package dev.lifeline.core;

/**
 * Which periodic loops this server runs now. Replicas on one database hold each loop one at a time,
 * and a replica runs a round of a loop only while it holds that loop.
 */
public interface LoopLeases extends AutoCloseable {

    /**
     * Whether this server holds {@code loop} now, taking it when no other server does. Never throws:
     * a lease that cannot be checked counts as not held, so at worst a round is skipped, never doubled.
     */
    boolean hold(String loop);

    /** Gives up every loop held, so that another replica takes them at its next round. */
    @Override
    void close();

    /** The leases of a server that runs alone: it holds every loop, at no cost. */
    static LoopLeases alone() {
        return Alone.INSTANCE;
    }
}
