package dev.lifeline.supervisor;

import java.time.Duration;

/**
 * How long the audit trail and the persisted events are kept.
 *
 * @param activity the age beyond which activity rows are deleted; zero keeps them forever
 * @param events the age beyond which persisted events are deleted; zero keeps them forever
 * @param batchSize the most rows one delete statement removes, so each is a short transaction
 */
public record RetentionPolicy(Duration activity, Duration events, int batchSize) {
    public static final int DEFAULT_BATCH_SIZE = 1000;

    public RetentionPolicy {
        if (activity.isNegative() || events.isNegative()) {
            throw new IllegalArgumentException("retention periods cannot be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    /** Keeps everything: nothing is ever deleted. */
    public static RetentionPolicy keepForever() {
        return new RetentionPolicy(Duration.ZERO, Duration.ZERO, DEFAULT_BATCH_SIZE);
    }
}
