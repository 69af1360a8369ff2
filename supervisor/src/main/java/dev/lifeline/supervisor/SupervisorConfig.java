package dev.lifeline.supervisor;

import dev.lifeline.core.BackoffPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * How the supervisor watches and restarts.
 *
 * @param sweepInterval how often running workspaces are probed in one batch per backend
 * @param heartbeatTtl how long a workspace may stay silent before it is suspected
 * @param backoff delays between automatic restarts of a workspace that keeps dying
 * @param stableAfter the window in which quick deaths spend the crash-loop budget; a streak older
 *     than this starts over
 * @param healthyRun how long an incarnation must stay online for its death to start the back-off
 *     over (a quick death climbs it)
 * @param crashLoopRestarts automatic restarts allowed before a workspace that keeps dying is failed
 * @param maxConcurrentStarts how many instances may be starting at once, fleet-wide, so a mass
 *     failure does not stampede the backend
 * @param provisionTimeout how long a new generation may take to register before it is failed
 * @param provisionTimeoutByRuntime per-runtime overrides of {@code provisionTimeout}
 * @param platformUrl the URL agents use to reach Lifeline
 * @param agentEnv extra environment for every agent (e.g. its heartbeat interval)
 */
public record SupervisorConfig(
        Duration sweepInterval,
        Duration heartbeatTtl,
        BackoffPolicy backoff,
        Duration stableAfter,
        Duration healthyRun,
        int crashLoopRestarts,
        int maxConcurrentStarts,
        Duration provisionTimeout,
        Map<String, Duration> provisionTimeoutByRuntime,
        String platformUrl,
        Map<String, String> agentEnv) {

    public SupervisorConfig {
        if (healthyRun.isNegative()) {
            throw new IllegalArgumentException("healthyRun cannot be negative");
        }
        if (crashLoopRestarts < 1 || maxConcurrentStarts < 1) {
            throw new IllegalArgumentException("crashLoopRestarts and maxConcurrentStarts must be at least 1");
        }
        provisionTimeoutByRuntime = Map.copyOf(provisionTimeoutByRuntime);
        agentEnv = Map.copyOf(agentEnv);
    }

    public static SupervisorConfig defaults(String platformUrl) {
        return new SupervisorConfig(
                Duration.ofSeconds(15),
                Duration.ofSeconds(90),
                BackoffPolicy.DEFAULT,
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                5,
                8,
                Duration.ofMinutes(10),
                Map.of(),
                platformUrl,
                Map.of());
    }

    public SupervisorConfig withBackoff(BackoffPolicy policy, int restarts) {
        return new SupervisorConfig(
                sweepInterval,
                heartbeatTtl,
                policy,
                stableAfter,
                healthyRun,
                restarts,
                maxConcurrentStarts,
                provisionTimeout,
                provisionTimeoutByRuntime,
                platformUrl,
                agentEnv);
    }

    /** The provision timeout of {@code runtime}. */
    public Duration provisionTimeoutOf(String runtime) {
        return provisionTimeoutByRuntime.getOrDefault(runtime, provisionTimeout);
    }
}
