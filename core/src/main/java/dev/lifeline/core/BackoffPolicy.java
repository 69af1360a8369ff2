package dev.lifeline.core;

import java.time.Duration;

/**
 * When to restart a workspace that keeps dying: the first automatic restart at once, then
 * {@code initial} doubling up to {@code cap}, each delay spread by ±{@code jitter} of itself.
 */
public record BackoffPolicy(Duration initial, Duration cap, double jitter) {

    public static final BackoffPolicy DEFAULT = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);

    public BackoffPolicy {
        if (initial.isNegative() || cap.compareTo(initial) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= cap and 0 <= jitter < 1");
        }
    }

    /**
     * The delay before restart number {@code attempt} (1 = the first since the workspace was last
     * stable), given a uniform random number {@code random} in [0, 1).
     */
    public Duration delayBefore(int attempt, double random) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        long base = initial.toMillis();
        for (int i = 2; i < attempt && base < cap.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, cap.toMillis());
        double spread = 1 + jitter * (2 * random - 1);
        return Duration.ofMillis(Math.round(base * spread));
    }
}
