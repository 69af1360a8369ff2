package dev.lifeline.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a proxied call must give up: its absolute deadline ({@code X-Timeout}, or the ceiling for
 * agent-to-agent calls) and its idle window (no event from the target workspace for that long).
 * Pure functions of (limits, now), so the decisions are tested without waiting.
 */
record CallLimits(@Nullable Instant deadline, Duration idle) {

    /** Why a call was cut off. */
    enum Cutoff {
        DEADLINE,
        IDLE
    }

    /**
     * @param xTimeout the caller's {@code X-Timeout} in seconds; 0 means "no deadline of my own"
     * @param agentCaller whether another workspace is calling (such calls get {@code ceiling})
     */
    static CallLimits of(Instant start, long xTimeout, boolean agentCaller, Duration ceiling, Duration idle) {
        Instant deadline = xTimeout > 0 ? start.plusSeconds(xTimeout) : agentCaller ? start.plus(ceiling) : null;
        return new CallLimits(deadline, idle);
    }

    /** The cut-off that applies at {@code now}, given the last sign of life from the workspace. */
    Optional<Cutoff> cutoff(Instant now, Instant lastActivity) {
        if (deadline != null && !now.isBefore(deadline)) {
            return Optional.of(Cutoff.DEADLINE);
        }
        if (!now.isBefore(lastActivity.plus(idle))) {
            return Optional.of(Cutoff.IDLE);
        }
        return Optional.empty();
    }

    /** When to look again if nothing happens in between. */
    Instant nextCheck(Instant lastActivity) {
        Instant idleAt = lastActivity.plus(idle);
        return deadline != null && deadline.isBefore(idleAt) ? deadline : idleAt;
    }
}
