package dev.lifeline.supervisor;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic hibernation: a workspace that opted in with {@code hibernation_idle_minutes} and has
 * neither called nor been called, nor changed state, for that long, while reporting no active task,
 * is stopped and marked hibernated; its next A2A call wakes it.
 */
public final class HibernationMonitor {
    private static final Logger log = LoggerFactory.getLogger(HibernationMonitor.class);

    private final WorkspaceStore store;
    private final WorkspaceService workspaces;
    private final Clock clock;

    public HibernationMonitor(WorkspaceStore store, WorkspaceService workspaces, Clock clock) {
        this.store = store;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /** Hibernates every candidate idle beyond its own threshold; returns the ones it hibernated. */
    public List<WorkspaceId> hibernateIdle() {
        Instant now = clock.instant();
        List<WorkspaceId> hibernated = new ArrayList<>();
        for (Workspace w : store.hibernationCandidates()) {
            if (idleSince(w).isAfter(now.minus(threshold(w)))) {
                continue;
            }
            try {
                workspaces.hibernate(w.id(), false);
                hibernated.add(w.id());
                log.info("workspace {} hibernated after {} idle", w.id(), threshold(w));
            } catch (ConflictException | WorkspaceNotFoundException e) {
                log.debug("workspace {} changed before it could hibernate: {}", w.id(), e.getMessage());
            }
        }
        return hibernated;
    }

    /** The later of its last call and its last change of state. */
    private Instant idleSince(Workspace w) {
        Instant lastCall = store.lastActivityAt(w.id()).orElse(Instant.EPOCH);
        return lastCall.isAfter(w.updatedAt()) ? lastCall : w.updatedAt();
    }

    private static Duration threshold(Workspace w) {
        return Duration.ofMinutes(Objects.requireNonNull(w.hibernationIdleMinutes()));
    }
}
