package dev.lifeline.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How long one call may wait, in all, for its workspace's next incarnation: until the first of the
 * hold window, the call's own deadline ({@code X-Timeout}, or the ceiling of agent-to-agent calls)
 * and the caller's {@code Prefer: wait}. Pure functions of (arrival, now).
 *
 * @param bound which of the three ends the wait, the reason a call that waits it out gives up
 */
record HoldBudget(Instant until, Bound bound) {

    /** The limit that ends a call's wait. */
    enum Bound {
        WINDOW,
        DEADLINE,
        PREFERENCE;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param deadline the call's own deadline, or null when it has none
     * @param preferred the caller's {@code Prefer: wait}, or null when it did not say
     */
    static HoldBudget of(Instant arrived, Duration window, @Nullable Instant deadline, @Nullable Duration preferred) {
        HoldBudget budget = new HoldBudget(arrived.plus(window), Bound.WINDOW);
        if (deadline != null && deadline.isBefore(budget.until)) {
            budget = new HoldBudget(deadline, Bound.DEADLINE);
        }
        if (preferred != null && !arrived.plus(preferred).isAfter(budget.until)) {
            budget = new HoldBudget(arrived.plus(preferred), Bound.PREFERENCE);
        }
        return budget;
    }

    /** What is left of the budget at {@code now}; zero once it is spent. */
    Duration left(Instant now) {
        Duration left = Duration.between(now, until);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
