package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Per-workspace idle timeouts that agents announce in their heartbeat's runtime metadata. */
public final class IdleOverrides {
    private final Map<WorkspaceId, Duration> overrides = new ConcurrentHashMap<>();

    /** Sets the workspace's idle timeout, or clears it when {@code idle} is null or not positive. */
    public void set(WorkspaceId id, @Nullable Duration idle) {
        if (idle == null || idle.isZero() || idle.isNegative()) {
            overrides.remove(id);
        } else {
            overrides.put(id, idle);
        }
    }

    Duration idleFor(WorkspaceId id, Duration fallback) {
        return overrides.getOrDefault(id, fallback);
    }
}
