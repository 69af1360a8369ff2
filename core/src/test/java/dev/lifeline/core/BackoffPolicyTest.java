package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
    private final BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);

    @Test
    void firstRestartIsImmediate() {
        assertThat(policy.delayBefore(1, 0.99)).isZero();
    }

    @Test
    void delaysDoubleFromTheInitialUpToTheCap() {
        assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayBefore(4, 0.5)).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.delayBefore(30, 0.5)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterStaysWithinItsShareOfTheDelay() {
        assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(2, 0.999999)).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(12));
    }
}
