package dev.lifeline.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Durable workspace state. Every status change goes through {@link #transition}, a guarded update
 * that records its event in the same transaction, so events never disagree with the rows.
 *
 * <p>The parent links form a tree whose invariants hold under any concurrency: no workspace is its
 * own ancestor, and no live workspace has a removed parent. The writes that could break them
 * ({@link #create} with a parent, {@link #update} of a parent, {@link #removeTree}) check and write
 * in one transaction, and these transactions run one at a time.
 */
public interface WorkspaceStore {

    /**
     * Inserts a workspace at generation 1 and records {@code event} atomically.
     *
     * @throws InvalidRequestException if its parent does not exist or is removed
     */
    Workspace create(NewWorkspace workspace, WorkspaceEvent event, Instant at);

    Optional<Workspace> find(WorkspaceId id);

    /**
     * Applies {@code patch} to a workspace that is not removed, in one {@code UPDATE} that also sets
     * its update time to {@code at}; returns the updated row, or empty if there is none.
     *
     * @throws InvalidRequestException if a new parent does not exist, is removed, or is the
     *     workspace itself or one of its descendants
     */
    Optional<Workspace> update(WorkspaceId id, WorkspacePatch patch, Instant at);

    /**
     * Marks {@code root} and every live workspace below it removed, in one transaction: each
     * descendant with a {@link WorkspaceEvent.Removed}, parents before their children, then the root
     * with a {@link WorkspaceEvent.RemovedCascade} that counts them. When the root has live children
     * and {@code withDescendants} is false, nothing changes and the children are returned.
     *
     * @throws WorkspaceNotFoundException if {@code root} does not exist or is already removed
     */
    TreeRemoval removeTree(WorkspaceId root, boolean withDescendants, Instant at);

    /** Every workspace that is not removed, oldest first. */
    List<Workspace> list();

    /** Every workspace in one of {@code statuses}, oldest first. */
    List<Workspace> listByStatus(Set<WorkspaceStatus> statuses);

    /**
     * Applies {@code transition} if its guard holds; returns the updated row iff a row changed, in
     * which case its event (when persisted) was stored with it.
     */
    Optional<Workspace> transition(Transition transition);

    /**
     * Records the instance that a server on host {@code startedBy} started for {@code generation}; false if
     * the generation moved on.
     */
    boolean recordInstance(
            WorkspaceId id, long generation, InstanceRef ref, @Nullable String url, String startedBy, Instant at);

    /** Stores a heartbeat's figures on a workspace that is not removed; empty if none. */
    Optional<Workspace> recordHeartbeat(WorkspaceId id, Heartbeat heartbeat, Instant at);

    /**
     * Stores a heartbeat on {@code current}, a row the caller has just read and checked; empty if the
     * workspace is removed or gone. A store that keeps heartbeats in memory records it without
     * reading the row again. By default the same as {@link #recordHeartbeat}.
     */
    default Optional<Workspace> recordHeartbeat(Workspace current, Heartbeat heartbeat, Instant at) {
        return recordHeartbeat(current.id(), heartbeat, at);
    }

    /**
     * Stores several heartbeats together, each only on its own generation of a workspace that is
     * not removed and has no later heartbeat; returns how many rows changed. By default one at a time.
     */
    default int recordHeartbeats(List<HeartbeatWrite> writes) {
        int changed = 0;
        for (HeartbeatWrite w : writes) {
            boolean current = find(w.id())
                    .filter(row -> row.generation() == w.generation())
                    .isPresent();
            if (current && recordHeartbeat(w.id(), w.heartbeat(), w.at()).isPresent()) {
                changed++;
            }
        }
        return changed;
    }

    /**
     * Workspaces in {@code statuses} whose last sign of life ({@code last_heartbeat_at}, else
     * {@code updated_at}) is older than {@code cutoff}.
     */
    List<Workspace> silentSince(Set<WorkspaceStatus> statuses, Instant cutoff);

    /** Offline workspaces whose pending automatic restart is due at {@code now}, the longest overdue first. */
    List<Workspace> restartsDue(Instant now);

    /** Stores a token hash for {@code generation}, revoking the workspace's earlier tokens. */
    void replaceToken(WorkspaceId id, long generation, byte[] sha256, String prefix, Instant at);

    /** The grant of a live token with this hash, whose workspace is not removed. */
    Optional<TokenGrant> findToken(byte[] sha256);

    /** Records an event that has no status change of its own. */
    void recordEvent(WorkspaceEvent event, Instant at);

    /** The newest persisted events, newest first, optionally of one workspace. */
    List<StoredEvent> recentEvents(@Nullable WorkspaceId id, int limit);

    /**
     * The persisted events after event {@code afterId}, oldest first, at most {@code limit},
     * optionally of one workspace: what a client that saw {@code afterId} missed.
     */
    List<StoredEvent> eventsAfter(@Nullable WorkspaceId id, long afterId, int limit);

    /** Appends to a workspace's audit trail; the workspace's row must exist. */
    void recordActivity(Activity activity);

    /** Appends several rows to the audit trail, in order; by default one at a time. */
    default void recordActivities(List<Activity> activities) {
        activities.forEach(this::recordActivity);
    }

    /** A workspace's newest activity, newest first (by time, then by order of recording). */
    List<Activity> recentActivity(WorkspaceId id, int limit);

    /** The part of a workspace's audit trail that {@code query} selects, in the order of {@link #recentActivity}. */
    List<StoredActivity> activity(ActivityQuery query);

    /** When the workspace last took part in a proxied call, as target or as caller; empty if never. */
    Optional<Instant> lastActivityAt(WorkspaceId id);

    /**
     * Online or degraded workspaces with automatic hibernation enabled and no active task, oldest
     * first; whether each has been idle long enough is the caller's decision.
     */
    List<Workspace> hibernationCandidates();

    /**
     * Deletes at most {@code limit} rows of activity, of any workspace, recorded before {@code cutoff},
     * in one short statement; returns how many. A caller repeats it until it returns less than
     * {@code limit}.
     */
    int deleteActivityOlderThan(Instant cutoff, int limit);

    /** Deletes at most {@code limit} persisted events created before {@code cutoff}; returns how many. */
    int deleteEventsOlderThan(Instant cutoff, int limit);

    /**
     * Replaces the agent card (JSON text) of a workspace that is not removed and records {@code event}
     * with it, in one transaction; returns the updated row, or empty if there is none. The update
     * time is left alone: a card is a description, not a sign of life.
     */
    Optional<Workspace> replaceAgentCard(WorkspaceId id, String agentCardJson, WorkspaceEvent event, Instant at);

    /** The canvas viewport last saved, or {@link CanvasViewport#DEFAULT} if none was. */
    CanvasViewport viewport();

    /** Saves the canvas viewport; there is one for the whole server. */
    void saveViewport(CanvasViewport viewport, Instant at);
}
