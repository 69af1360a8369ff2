package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A call waits until the first of the hold window, its own deadline and the wait its caller prefers. */
class HoldBudgetTest {
    private final Instant arrived = Instant.parse("2026-01-01T00:00:00Z");
    private final Duration window = Duration.ofSeconds(30);

    @Test
    void withNothingShorterTheHoldWindowBoundsTheWait() {
        HoldBudget budget = HoldBudget.of(arrived, window, null, null);

        assertThat(budget).isEqualTo(new HoldBudget(arrived.plus(window), HoldBudget.Bound.WINDOW));
        assertThat(budget.left(arrived.plusSeconds(10))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anXTimeoutShorterThanTheWindowEndsTheWaitAtTheCallsDeadline() {
        HoldBudget budget = HoldBudget.of(arrived, window, arrived.plusSeconds(5), null);

        assertThat(budget).isEqualTo(new HoldBudget(arrived.plusSeconds(5), HoldBudget.Bound.DEADLINE));
    }

    @Test
    void aPreferredWaitShorterThanBothDecides() {
        HoldBudget budget = HoldBudget.of(arrived, window, arrived.plusSeconds(5), Duration.ofSeconds(2));

        assertThat(budget).isEqualTo(new HoldBudget(arrived.plusSeconds(2), HoldBudget.Bound.PREFERENCE));
    }

    @Test
    void preferringToWaitZeroSecondsLeavesNoWaitAtAll() {
        assertThat(HoldBudget.of(arrived, window, null, Duration.ZERO).left(arrived))
                .isZero();
    }

    @Test
    void aPreferredWaitLongerThanTheWindowDoesNotExtendIt() {
        HoldBudget budget = HoldBudget.of(arrived, window, null, Duration.ofMinutes(10));

        assertThat(budget.bound()).isEqualTo(HoldBudget.Bound.WINDOW);
        assertThat(budget.left(arrived.plus(Duration.ofMinutes(1)))).isZero();
    }
}
