package dev.lifeline.core;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a queued A2A call stands, with the one table of legal moves. A call is {@code queued} until a
 * drainer claims it ({@code delivering}); the claim ends in {@code delivered}, back in {@code queued}
 * (the agent was busy again, or the claim's lease ran out with its drainer), or {@code failed}. The
 * operator may drop a queued call.
 */
public enum QueueState {
    QUEUED,
    DELIVERING,
    DELIVERED,
    FAILED,
    DROPPED;

    private Set<QueueState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(DELIVERING, FAILED, DROPPED);
            case DELIVERING -> EnumSet.of(QUEUED, DELIVERED, FAILED);
            case DELIVERED, FAILED, DROPPED -> EnumSet.noneOf(QueueState.class);
        };
    }

    public boolean canMoveTo(QueueState target) {
        return next().contains(target);
    }

    /** Whether the call is still waiting or on its way: such a call holds its message id. */
    public boolean active() {
        return this == QUEUED || this == DELIVERING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QueueState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
