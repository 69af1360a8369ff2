package dev.lifeline.agent;

import java.time.Duration;

/**
 * Delays between retries: {@code initial}, doubling after each attempt, never above {@code max}.
 */
record Backoff(Duration initial, Duration max) {

    /** 200 ms doubling up to 5 s, for registration. */
    static final Backoff REGISTRATION = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, was " + initial + " and " + max);
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    Duration delay(int attempt) {
        Duration delay = initial;
        for (int i = 0; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
