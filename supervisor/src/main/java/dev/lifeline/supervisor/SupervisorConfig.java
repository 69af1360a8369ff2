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
 * @param stableAfter how long a workspace must stay online before its back-off resets
 * @param platformUrl the URL agents use to reach Lifeline
 * @param agentEnv extra environment for every agent (e.g. its heartbeat interval)
 */
public record SupervisorConfig(
        Duration sweepInterval,
        Duration heartbeatTtl,
        BackoffPolicy backoff,
        Duration stableAfter,
        String platformUrl,
        Map<String, String> agentEnv) {

    public SupervisorConfig {
        agentEnv = Map.copyOf(agentEnv);
    }

    public static SupervisorConfig defaults(String platformUrl) {
        return new SupervisorConfig(
                Duration.ofSeconds(15),
                Duration.ofSeconds(90),
                BackoffPolicy.DEFAULT,
                Duration.ofMinutes(10),
                platformUrl,
                Map.of());
    }
}
