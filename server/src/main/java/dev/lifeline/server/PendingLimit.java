package dev.lifeline.server;

import java.time.Duration;

/**
 * How far behind one event subscriber ({@code /ws} or SSE) may fall: the bytes handed to its
 * socket and not yet written, and how long the oldest of them has waited. Both are checked when
 * the next event comes for that subscriber, which is the only moment its backlog can grow.
 */
record PendingLimit(long maxBytes, Duration maxAge) {
    /** 1 MiB and 30 s: a reading client is far inside both, even on a slow link. */
    static final PendingLimit DEFAULT = new PendingLimit(1024 * 1024, Duration.ofSeconds(30));

    PendingLimit {
        if (maxBytes <= 0 || !maxAge.isPositive()) {
            throw new IllegalArgumentException("a pending limit must be positive: " + maxBytes + " bytes, " + maxAge);
        }
    }
}
