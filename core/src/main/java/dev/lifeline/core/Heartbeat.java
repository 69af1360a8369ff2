package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/** What an agent reports every heartbeat. */
public record Heartbeat(
        double errorRate,
        @Nullable String sampleError,
        int activeTasks,
        long uptimeSeconds,
        @Nullable String currentTask,
        long monthlySpend) {}
