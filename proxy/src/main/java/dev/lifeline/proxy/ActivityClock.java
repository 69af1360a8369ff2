package dev.lifeline.proxy;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last time each workspace showed a sign of life: any event about it (heartbeat, task update,
 * status change). An idle call is one whose target has been silent for the whole idle window.
 */
final class ActivityClock {
    private final Map<WorkspaceId, Instant> last = new ConcurrentHashMap<>();

    ActivityClock(EventBus bus) {
        EventBus.Subscription _ = bus.subscribe(this::seen);
    }

    private void seen(PublishedEvent e) {
        last.merge(e.event().workspaceId(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The later of {@code since} and the workspace's last event. */
    Instant lastActivity(WorkspaceId id, Instant since) {
        Instant seen = last.get(id);
        return seen != null && seen.isAfter(since) ? seen : since;
    }
}
