package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates, restarts and removes workspaces; the HTTP handlers delegate here. */
public final class WorkspaceService {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceService.class);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final RestartCoordinator restarts;
    private final Clock clock;

    public WorkspaceService(Lifecycle lifecycle, Backends backends, RestartCoordinator restarts, Clock clock) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.restarts = restarts;
        this.clock = clock;
    }

    /** Stores a new workspace in {@code provisioning} and starts its first generation. */
    public Workspace create(NewWorkspace spec) {
        if (!spec.backend().equals(Workspace.EXTERNAL) && !backends.has(spec.backend())) {
            throw new InvalidRequestException(
                    "unknown backend '" + spec.backend() + "'", "configure it with LIFELINE_BACKEND or omit it");
        }
        if (spec.parentId() != null && find(spec.parentId()).status() == WorkspaceStatus.REMOVED) {
            throw new InvalidRequestException("parent workspace is removed", "choose a live parent_id or omit it");
        }
        Workspace created = lifecycle.create(
                spec,
                new WorkspaceEvent.Provisioning(spec.id(), spec.name(), spec.tier(), spec.runtime()),
                clock.instant());
        if (!created.external()) {
            restarts.provisionFirst(created);
        }
        return created;
    }

    public Workspace find(WorkspaceId id) {
        return lifecycle.store().find(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
    }

    /** A workspace that exists and is not removed. */
    public Workspace findLive(WorkspaceId id) {
        Workspace w = find(id);
        if (w.status() == WorkspaceStatus.REMOVED) {
            throw new WorkspaceNotFoundException(id);
        }
        return w;
    }

    public List<Workspace> list() {
        return lifecycle.store().list();
    }

    /** Applies a PATCH; a new parent must exist, be live, and not be the workspace or below it. */
    public Workspace update(WorkspaceId id, WorkspacePatch patch) {
        Workspace w = findLive(id);
        if (patch.parentId() instanceof WorkspacePatch.Change.SetTo<WorkspaceId> set) {
            WorkspaceId parent = set.value();
            Workspace p = lifecycle
                    .store()
                    .find(parent)
                    .filter(x -> x.status() != WorkspaceStatus.REMOVED)
                    .orElseThrow(() -> new InvalidRequestException(
                            "parent workspace not found", "choose a live parent_id, or null for a root workspace"));
            if (parent.equals(id) || new Hierarchy(lifecycle.store()::find).isAncestor(id, p)) {
                throw new InvalidRequestException(
                        "parent_id would create a cycle", "a workspace cannot be its own ancestor");
            }
        }
        return lifecycle
                .store()
                .update(w.id(), patch, clock.instant())
                .orElseThrow(() -> new WorkspaceNotFoundException(id));
    }

    /**
     * Stops an idle workspace and marks it hibernated; the next A2A call wakes it. A workspace with
     * active tasks is only hibernated when {@code force} is set.
     */
    public Workspace hibernate(WorkspaceId id, boolean force) {
        Workspace w = findLive(id);
        if (!w.status().routable()) {
            throw new ConflictException("only online or degraded workspaces can hibernate; this one is "
                    + w.status().wire());
        }
        if (w.activeTasks() > 0 && !force) {
            throw new ConflictException("workspace has active tasks; use ?force=true to terminate them");
        }
        Workspace hibernated = lifecycle
                .apply(Transition.to(
                                id,
                                WorkspaceStatus.HIBERNATED,
                                new WorkspaceEvent.Hibernated(id, w.name(), w.tier()),
                                clock.instant())
                        .onlyFrom(java.util.EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED))
                        .ifGeneration(w.generation())
                        .clearingEndpoint())
                .orElseThrow(() -> new ConflictException("workspace changed state; retry"));
        if (!w.external() && w.instance().isPresent()) {
            try {
                backends.of(w).stop(id, w.instance().get());
            } catch (BackendException e) {
                log.error("{} hibernated but its instance could not be stopped", id, e);
            }
        }
        return hibernated;
    }

    public Workspace restart(WorkspaceId id) {
        return restarts.restartManually(id);
    }

    /**
     * Marks the workspace removed first (so late heartbeats and restarts do nothing), then stops its
     * instance. Returns false when the stop failed; the row stays removed and the instance is left
     * for the reaper.
     */
    public boolean remove(WorkspaceId id) {
        Workspace w = findLive(id);
        lifecycle.apply(Transition.to(id, WorkspaceStatus.REMOVED, new WorkspaceEvent.Removed(id), clock.instant()));
        if (w.external() || w.instance().isEmpty()) {
            return true;
        }
        try {
            backends.of(w).stop(id, w.instance().get());
            return true;
        } catch (BackendException e) {
            log.error("{} was removed but its instance could not be stopped", id, e);
            return false;
        }
    }
}
