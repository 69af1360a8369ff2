package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/**
 * What an agent reports every heartbeat.
 *
 * @param errorRate the share of failed requests, from 0 to 1
 * @param monthlySpend cents spent this month; 0 leaves the stored value as it is
 */
public record Heartbeat(
        double errorRate,
        @Nullable String sampleError,
        int activeTasks,
        long uptimeSeconds,
        @Nullable String currentTask,
        long monthlySpend) {

    public Heartbeat {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("the error rate must be a number from 0 to 1, got " + errorRate);
        }
        if (activeTasks < 0 || uptimeSeconds < 0 || monthlySpend < 0) {
            throw new IllegalArgumentException("heartbeat counters are never negative");
        }
    }
}
