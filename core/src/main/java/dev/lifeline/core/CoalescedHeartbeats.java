package dev.lifeline.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A store that keeps each workspace's latest heartbeat in memory and writes them all in one batch at
 * {@link #flush}, which its owner calls every short interval: a fleet's heartbeats cost one
 * statement per interval instead of one per heartbeat.
 *
 * <p>Nothing reads a stale heartbeat: rows read through this store carry the pending heartbeat of
 * their generation, and the queries that filter on heartbeat columns in SQL ({@link #silentSince},
 * {@link #hibernationCandidates}) flush first. A heartbeat is kept until a flush has written it,
 * so a failed flush is retried by the next one. Status changes are not buffered: they go through
 * {@link #transition} at once. Other replicas see a heartbeat at most one flush interval late.
 */
public final class CoalescedHeartbeats extends ForwardingStore {
    private final Map<WorkspaceId, HeartbeatWrite> pending = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();

    public CoalescedHeartbeats(WorkspaceStore delegate) {
        super(delegate);
    }

    /** Keeps the heartbeat for the next flush; empty, and nothing kept, if the workspace is removed or unknown. */
    @Override
    public Optional<Workspace> recordHeartbeat(WorkspaceId id, Heartbeat heartbeat, Instant at) {
        return delegate.find(id).flatMap(row -> recordHeartbeat(row, heartbeat, at));
    }

    /** Keeps the heartbeat for the generation of {@code current}, without reading the row again. */
    @Override
    public Optional<Workspace> recordHeartbeat(Workspace current, Heartbeat heartbeat, Instant at) {
        if (current.status() == WorkspaceStatus.REMOVED) {
            return Optional.empty();
        }
        HeartbeatWrite write = new HeartbeatWrite(current.id(), current.generation(), heartbeat, at);
        HeartbeatWrite kept = pending.merge(current.id(), write, CoalescedHeartbeats::newer);
        return Optional.of(kept.appliedTo(current));
    }

    private static HeartbeatWrite newer(HeartbeatWrite old, HeartbeatWrite latest) {
        if (latest.generation() != old.generation()) {
            return latest.generation() > old.generation() ? latest : old;
        }
        return latest.at().isBefore(old.at()) ? old.after(latest) : latest.after(old);
    }

    /** Writes every pending heartbeat in one batch; returns how many were pending. */
    public int flush() {
        flushing.lock();
        try {
            List<HeartbeatWrite> writes = new ArrayList<>(pending.values());
            if (writes.isEmpty()) {
                return 0;
            }
            delegate.recordHeartbeats(writes);
            // A heartbeat that arrived during the write replaced its entry and waits for the next flush.
            writes.forEach(w -> pending.remove(w.id(), w));
            return writes.size();
        } finally {
            flushing.unlock();
        }
    }

    /** How many workspaces have a heartbeat not written yet. */
    public int pendingCount() {
        return pending.size();
    }

    private Workspace withPending(Workspace w) {
        HeartbeatWrite p = pending.get(w.id());
        return p == null ? w : p.appliedTo(w);
    }

    private List<Workspace> withPending(List<Workspace> rows) {
        return pending.isEmpty() ? rows : rows.stream().map(this::withPending).toList();
    }

    @Override
    public List<Workspace> silentSince(Set<WorkspaceStatus> statuses, Instant cutoff) {
        flush();
        return delegate.silentSince(statuses, cutoff);
    }

    @Override
    public List<Workspace> hibernationCandidates() {
        flush();
        return delegate.hibernationCandidates();
    }

    @Override
    public Optional<Workspace> find(WorkspaceId id) {
        return delegate.find(id).map(this::withPending);
    }

    @Override
    public Optional<Workspace> update(WorkspaceId id, WorkspacePatch patch, Instant at) {
        return delegate.update(id, patch, at).map(this::withPending);
    }

    @Override
    public List<Workspace> list() {
        return withPending(delegate.list());
    }

    @Override
    public List<Workspace> listByStatus(Set<WorkspaceStatus> statuses) {
        return withPending(delegate.listByStatus(statuses));
    }

    @Override
    public Optional<Workspace> transition(Transition transition) {
        return delegate.transition(transition).map(this::withPending);
    }

    @Override
    public List<Workspace> restartsDue(Instant now) {
        return withPending(delegate.restartsDue(now));
    }

    @Override
    public Optional<Workspace> replaceAgentCard(
            WorkspaceId id, String agentCardJson, WorkspaceEvent event, Instant at) {
        return delegate.replaceAgentCard(id, agentCardJson, event, at).map(this::withPending);
    }
}
