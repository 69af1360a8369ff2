package dev.lifeline.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one subscriber's socket has been handed and has not yet written: its bytes, and when each
 * send was handed over. Sends complete in the order they were handed over (one socket, one queue).
 */
final class PendingSends {
    private final PendingLimit limit;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Instant> handedOver = new ArrayDeque<>();
    private long bytes;

    PendingSends(PendingLimit limit, InstantSource clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /**
     * Takes on a send of {@code size} bytes, or refuses it when it would pass the limit: the
     * subscriber is then too far behind to catch up. A send with nothing pending is always taken,
     * so one large event never cuts off a subscriber that keeps up.
     */
    boolean admit(long size) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Instant oldest = handedOver.peekFirst();
            if (oldest != null
                    && (bytes + size > limit.maxBytes()
                            || Duration.between(oldest, now).compareTo(limit.maxAge()) > 0)) {
                return false;
            }
            handedOver.addLast(now);
            bytes += size;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest pending send of {@code size} bytes was written (or failed: it is gone either way). */
    void done(long size) {
        lock.lock();
        try {
            handedOver.pollFirst();
            bytes -= size;
        } finally {
            lock.unlock();
        }
    }
}
