package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.TreeRemoval;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceNotInStateException;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceTokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates, restarts, pauses, resumes and removes workspaces; the HTTP handlers delegate here. */
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

    /**
     * Stores a new workspace in {@code provisioning} and starts its first generation. Its parent, if
     * any, must be live; the store checks that with the insert.
     */
    public Workspace create(NewWorkspace spec) {
        if (!spec.backend().equals(Workspace.EXTERNAL) && !backends.has(spec.backend())) {
            throw new InvalidRequestException(
                    "unknown backend '" + spec.backend() + "'", "configure it with LIFELINE_BACKEND or omit it");
        }
        requireKnownRuntime(spec);
        Workspace created = lifecycle.create(
                spec,
                new WorkspaceEvent.Provisioning(spec.id(), spec.name(), spec.tier(), spec.runtime()),
                clock.instant());
        if (!created.external()) {
            restarts.provisionFirst(created);
        }
        return created;
    }

    /** A workspace whose agent the operator runs, and the token that agent must present, shown once. */
    public record ExternalWorkspace(Workspace workspace, String token) {
        @Override
        public String toString() {
            return "ExternalWorkspace[" + workspace.id() + "]";
        }
    }

    /**
     * Creates a workspace whose agent Lifeline does not run: {@code awaiting_agent} until the agent
     * registers, or {@code online} at once when a (checked) URL is given. Lifeline never restarts it;
     * it goes offline when its heartbeats stop.
     */
    public ExternalWorkspace createExternal(NewWorkspace spec) {
        WorkspaceEvent event = spec.url() == null
                ? new WorkspaceEvent.AwaitingAgent(spec.id(), spec.name())
                : new WorkspaceEvent.Online(spec.id(), spec.url(), null, null);
        Workspace created = lifecycle.create(spec, event, clock.instant());
        String token = WorkspaceTokens.mint();
        lifecycle
                .store()
                .replaceToken(
                        created.id(),
                        created.generation(),
                        WorkspaceTokens.hash(token),
                        WorkspaceTokens.prefix(token),
                        clock.instant());
        return new ExternalWorkspace(created, token);
    }

    /** A runtime the backend does not know would only fail at its first start, after the 201. */
    private void requireKnownRuntime(NewWorkspace spec) {
        if (spec.backend().equals(Workspace.EXTERNAL)) {
            return;
        }
        Optional<Set<String>> known = backends.named(spec.backend()).knownRuntimes();
        if (known.isPresent() && !known.get().contains(spec.runtime())) {
            throw new InvalidRequestException(
                    "unknown runtime '" + spec.runtime() + "' for backend '" + spec.backend() + "'",
                    "choose one of " + known.get() + ", or configure it on this server");
        }
    }

    /** A workspace that exists, whatever its status; 404 otherwise. */
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

    /**
     * The live workspaces that {@code id} may call under the {@link Hierarchy} rule, itself excepted,
     * oldest first: its siblings (every other root, for a root), its ancestors and its descendants.
     */
    public List<Workspace> peers(WorkspaceId id) {
        Workspace self = findLive(id);
        List<Workspace> live = list();
        Map<WorkspaceId, Workspace> byId = new HashMap<>();
        live.forEach(w -> byId.put(w.id(), w));
        Hierarchy hierarchy = new Hierarchy(other -> Optional.ofNullable(byId.get(other)));
        return live.stream()
                .filter(w -> !w.id().equals(self.id()) && hierarchy.canCommunicate(self.id(), w.id()))
                .toList();
    }

    /**
     * Applies a PATCH; a new parent must exist, be live, and not be the workspace or below it, which
     * the store checks with the write.
     */
    public Workspace update(WorkspaceId id, WorkspacePatch patch) {
        Workspace w = findLive(id);
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
                        .onlyFrom(EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED))
                        .ifGeneration(w.generation())
                        .clearingEndpoint())
                .orElseThrow(() -> new ConflictException("workspace changed state; retry"));
        stopInstance(w, "hibernated");
        return hibernated;
    }

    public Workspace restart(WorkspaceId id) {
        return restarts.restartManually(id);
    }

    /**
     * Pauses the workspace and every live descendant that is not paused yet (root first): each is
     * marked paused, then its instance is stopped. A failed stop is logged and the row stays paused.
     * Returns how many workspaces this call paused.
     */
    public int pause(WorkspaceId id) {
        Workspace root = lifecycle
                .store()
                .find(id)
                .filter(w -> w.status() != WorkspaceStatus.REMOVED && w.status() != WorkspaceStatus.PAUSED)
                .orElseThrow(() -> new WorkspaceNotInStateException(id, "workspace not found or already paused"));
        List<WorkspaceId> targets = new ArrayList<>(List.of(root.id()));
        for (Workspace d : tree().descendantsOf(id)) {
            if (d.status() != WorkspaceStatus.PAUSED) {
                targets.add(d.id());
            }
        }
        int paused = 0;
        for (WorkspaceId target : targets) {
            paused += pauseOne(target) ? 1 : 0;
        }
        return paused;
    }

    /**
     * Marks one workspace paused and stops the instance it had. The update is guarded by the
     * generation read just before, so the instance stopped is the one the row named; a row that
     * moved on in between is read again.
     */
    private boolean pauseOne(WorkspaceId id) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Workspace> current = lifecycle.store().find(id);
            if (current.isEmpty() || !current.get().status().canMoveTo(WorkspaceStatus.PAUSED)) {
                return false;
            }
            Workspace w = current.get();
            Optional<Workspace> paused = lifecycle.apply(
                    Transition.to(id, WorkspaceStatus.PAUSED, new WorkspaceEvent.Paused(id, w.name()), clock.instant())
                            .onlyFrom(EnumSet.of(w.status()))
                            .ifGeneration(w.generation())
                            .clearingEndpoint());
            if (paused.isPresent()) {
                stopInstance(w, "paused");
                return true;
            }
        }
        log.warn("{} kept changing state and was not paused", id);
        return false;
    }

    /**
     * Starts the next generation of a paused workspace and of every paused descendant (parents
     * before children). Refused while an ancestor is paused. A descendant whose restart cannot be
     * claimed is logged and skipped; for the workspace itself the conflict is the answer. Returns
     * how many workspaces this call resumed.
     */
    public int resume(WorkspaceId id) {
        Workspace root = lifecycle
                .store()
                .find(id)
                .filter(w -> w.status() == WorkspaceStatus.PAUSED)
                .orElseThrow(() -> new WorkspaceNotInStateException(id, "workspace not found or not paused"));
        WorkspaceTree tree = tree();
        for (Workspace ancestor : tree.ancestorsOf(root)) {
            if (ancestor.status() == WorkspaceStatus.PAUSED) {
                throw new ConflictException("parent workspace \"" + ancestor.name() + "\" is paused — resume it first");
            }
        }
        restarts.resume(id);
        int resumed = 1;
        for (Workspace d : tree.descendantsOf(id)) {
            if (d.status() != WorkspaceStatus.PAUSED) {
                continue;
            }
            try {
                restarts.resume(d.id());
                resumed++;
            } catch (ConflictException | WorkspaceNotFoundException e) {
                log.warn("{} was not resumed with its parent {}: {}", d.id(), id, e.getMessage());
            }
        }
        return resumed;
    }

    /**
     * Removes a workspace and all its live descendants. With live children and no {@code confirmed},
     * nothing happens and the children are returned. Otherwise every row is marked removed first, in
     * one transaction (so late heartbeats and restarts do nothing, and no child can be added under a
     * removed parent meanwhile), descendants before the root, whose event carries the cascade count;
     * then every instance is stopped in the same order. A failed stop leaves its row removed and its
     * instance for the reaper, and is counted.
     */
    public RemoveOutcome remove(WorkspaceId id, boolean confirmed) {
        return switch (lifecycle.removeTree(id, confirmed, clock.instant())) {
            case TreeRemoval.ChildrenNotConfirmed c -> new RemoveOutcome.ConfirmationRequired(c.children());
            case TreeRemoval.Removed removed -> {
                int stopFailures = 0;
                for (Workspace w : removed.rows()) {
                    stopFailures += stopInstance(w, "removed") ? 0 : 1;
                }
                yield new RemoveOutcome.Removed(removed.rows().size(), removed.cascadeDeleted(), stopFailures);
            }
        };
    }

    private WorkspaceTree tree() {
        return new WorkspaceTree(lifecycle.store().list());
    }

    /** Stops the instance {@code w} names, if any; false when the backend failed to stop it. */
    private boolean stopInstance(Workspace w, String now) {
        Optional<InstanceRef> ref = w.instance();
        if (w.external() || ref.isEmpty()) {
            return true;
        }
        try {
            backends.of(w).stop(w.id(), ref.get());
            return true;
        } catch (BackendException e) {
            log.error("{} was {} but its instance {} could not be stopped", w.id(), now, ref.get(), e);
            return false;
        }
    }
}
