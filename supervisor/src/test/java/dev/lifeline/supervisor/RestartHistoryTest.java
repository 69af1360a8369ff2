package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartHistoryTest {
    private static final Duration STABLE = Duration.ofMinutes(10);
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void restartsCloseTogetherCountUp() {
        RestartHistory h =
                RestartHistory.first(t0).next(t0.plusSeconds(5), STABLE).next(t0.plusSeconds(30), STABLE);
        assertThat(h.attempts()).isEqualTo(3);
    }

    @Test
    void aStableStretchStartsTheCountOver() {
        RestartHistory h = RestartHistory.first(t0).next(t0.plusSeconds(5), STABLE);
        assertThat(h.next(t0.plusSeconds(5).plus(STABLE), STABLE).attempts()).isEqualTo(1);
    }
}
