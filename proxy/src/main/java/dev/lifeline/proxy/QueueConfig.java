package dev.lifeline.proxy;

import java.time.Duration;

/**
 * How the busy queue is drained.
 *
 * @param drainEvery how often every queue is looked at, besides the heartbeats that report room
 * @param lease how long a claimed call is its drainer's; past it (the drainer's server died) the call
 *     is queued again. A delivery is given half of it, so a live drainer never outlasts its lease.
 * @param maxAttempts deliveries tried before the call fails
 * @param maxAge how long a call may wait before it fails
 * @param busyPause how long an agent that answered a delivery "busy" gets no more, unless a heartbeat reports room
 * @param keep how long delivered, failed and dropped calls are kept; zero keeps them forever
 */
public record QueueConfig(
        Duration drainEvery, Duration lease, int maxAttempts, Duration maxAge, Duration busyPause, Duration keep) {
    public QueueConfig {
        if (!drainEvery.isPositive() || !lease.isPositive() || !maxAge.isPositive() || !busyPause.isPositive()) {
            throw new IllegalArgumentException("the queue's intervals must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (keep.isNegative()) {
            throw new IllegalArgumentException("keep cannot be negative");
        }
    }

    /** The longest a drainer waits for one delivery's answer. */
    public Duration deliveryDeadline() {
        return lease.dividedBy(2);
    }
}
