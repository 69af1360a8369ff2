package dev.lifeline.proxy;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each workspace takes to come back, learnt from its transitions on the event stream
 * (from its first {@code offline} or {@code provisioning} to its next {@code online}), so that a
 * caller told to come back later is told when: the last such time minus what has passed of the
 * current one. A workspace never seen coming back, or later than last time, gets the default.
 */
final class RestartTimes {
    private final Map<WorkspaceId, Instant> downSince = new ConcurrentHashMap<>();
    private final Map<WorkspaceId, Duration> lastTook = new ConcurrentHashMap<>();

    /** Whether {@link #seen} learns anything from an event: changes of status, not traffic. */
    static boolean tellsOfAStatus(PublishedEvent published) {
        return switch (published.event()) {
            case WorkspaceEvent.Offline _,
                    WorkspaceEvent.Provisioning _,
                    WorkspaceEvent.Online _,
                    WorkspaceEvent.ProvisionFailed _,
                    WorkspaceEvent.Paused _,
                    WorkspaceEvent.Hibernated _,
                    WorkspaceEvent.Removed _,
                    WorkspaceEvent.RemovedCascade _ -> true;
            case WorkspaceEvent.Degraded _,
                    WorkspaceEvent.Heartbeat _,
                    WorkspaceEvent.AwaitingAgent _,
                    WorkspaceEvent.ActivityLogged _,
                    WorkspaceEvent.A2aResponse _,
                    WorkspaceEvent.TaskUpdated _,
                    WorkspaceEvent.AgentCardUpdated _,
                    WorkspaceEvent.DelegationComplete _,
                    WorkspaceEvent.Relayed _ -> false;
        };
    }

    /** Learns from one event; to be subscribed to the event stream. */
    void seen(PublishedEvent published) {
        WorkspaceId id = published.event().workspaceId();
        switch (published.event()) {
            case WorkspaceEvent.Offline _, WorkspaceEvent.Provisioning _ -> downSince.putIfAbsent(id, published.at());
            case WorkspaceEvent.Online _ -> {
                Instant since = downSince.remove(id);
                if (since != null) {
                    lastTook.put(id, Duration.between(since, published.at()));
                }
            }
            case WorkspaceEvent.ProvisionFailed _, WorkspaceEvent.Paused _, WorkspaceEvent.Hibernated _ ->
                downSince.remove(id);
            case WorkspaceEvent.Removed _, WorkspaceEvent.RemovedCascade _ -> {
                downSince.remove(id);
                lastTook.remove(id);
            }
            default -> {} // traffic; tellsOfAStatus names every kind of event, so a new one is sorted there
        }
    }

    /** Whole seconds, at least one, until {@code id} is expected back. */
    long retryAfterSeconds(WorkspaceId id, Instant now) {
        Duration took = lastTook.get(id);
        if (took == null) {
            return ProxyConfig.RESTART_RETRY_AFTER;
        }
        Instant since = downSince.get(id);
        Duration left = since == null ? took : took.minus(Duration.between(since, now));
        if (left.isNegative()) {
            return ProxyConfig.RESTART_RETRY_AFTER;
        }
        long seconds = left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
