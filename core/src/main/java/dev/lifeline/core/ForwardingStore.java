package dev.lifeline.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A store that passes every call to another: the base of the decorators, which override only what
 * they add.
 */
public abstract class ForwardingStore implements WorkspaceStore {
    protected final WorkspaceStore delegate;

    protected ForwardingStore(WorkspaceStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Workspace create(NewWorkspace workspace, WorkspaceEvent event, Instant at) {
        return delegate.create(workspace, event, at);
    }

    @Override
    public Optional<Workspace> find(WorkspaceId id) {
        return delegate.find(id);
    }

    @Override
    public Optional<Workspace> update(WorkspaceId id, WorkspacePatch patch, Instant at) {
        return delegate.update(id, patch, at);
    }

    @Override
    public TreeRemoval removeTree(WorkspaceId root, boolean withDescendants, Instant at) {
        return delegate.removeTree(root, withDescendants, at);
    }

    @Override
    public List<Workspace> list() {
        return delegate.list();
    }

    @Override
    public List<Workspace> listByStatus(Set<WorkspaceStatus> statuses) {
        return delegate.listByStatus(statuses);
    }

    @Override
    public Optional<Workspace> transition(Transition transition) {
        return delegate.transition(transition);
    }

    @Override
    public boolean recordInstance(
            WorkspaceId id, long generation, InstanceRef ref, @Nullable String url, String startedBy, Instant at) {
        return delegate.recordInstance(id, generation, ref, url, startedBy, at);
    }

    @Override
    public Optional<Workspace> recordHeartbeat(WorkspaceId id, Heartbeat heartbeat, Instant at) {
        return delegate.recordHeartbeat(id, heartbeat, at);
    }

    @Override
    public Optional<Workspace> recordHeartbeat(Workspace current, Heartbeat heartbeat, Instant at) {
        return delegate.recordHeartbeat(current, heartbeat, at);
    }

    @Override
    public int recordHeartbeats(List<HeartbeatWrite> writes) {
        return delegate.recordHeartbeats(writes);
    }

    @Override
    public List<Workspace> silentSince(Set<WorkspaceStatus> statuses, Instant cutoff) {
        return delegate.silentSince(statuses, cutoff);
    }

    @Override
    public List<Workspace> restartsDue(Instant now) {
        return delegate.restartsDue(now);
    }

    @Override
    public void replaceToken(WorkspaceId id, long generation, byte[] sha256, String prefix, Instant at) {
        delegate.replaceToken(id, generation, sha256, prefix, at);
    }

    @Override
    public Optional<TokenGrant> findToken(byte[] sha256) {
        return delegate.findToken(sha256);
    }

    @Override
    public void recordEvent(WorkspaceEvent event, Instant at) {
        delegate.recordEvent(event, at);
    }

    @Override
    public List<StoredEvent> recentEvents(@Nullable WorkspaceId id, int limit) {
        return delegate.recentEvents(id, limit);
    }

    @Override
    public List<StoredEvent> eventsAfter(@Nullable WorkspaceId id, long afterId, int limit) {
        return delegate.eventsAfter(id, afterId, limit);
    }

    @Override
    public void recordActivity(Activity activity) {
        delegate.recordActivity(activity);
    }

    @Override
    public void recordActivities(List<Activity> activities) {
        delegate.recordActivities(activities);
    }

    @Override
    public List<Activity> recentActivity(WorkspaceId id, int limit) {
        return delegate.recentActivity(id, limit);
    }

    @Override
    public List<StoredActivity> activity(ActivityQuery query) {
        return delegate.activity(query);
    }

    @Override
    public Optional<Instant> lastActivityAt(WorkspaceId id) {
        return delegate.lastActivityAt(id);
    }

    @Override
    public List<Workspace> hibernationCandidates() {
        return delegate.hibernationCandidates();
    }

    @Override
    public int deleteActivityOlderThan(Instant cutoff, int limit) {
        return delegate.deleteActivityOlderThan(cutoff, limit);
    }

    @Override
    public int deleteEventsOlderThan(Instant cutoff, int limit) {
        return delegate.deleteEventsOlderThan(cutoff, limit);
    }

    @Override
    public Optional<Workspace> replaceAgentCard(
            WorkspaceId id, String agentCardJson, WorkspaceEvent event, Instant at) {
        return delegate.replaceAgentCard(id, agentCardJson, event, at);
    }

    @Override
    public CanvasViewport viewport() {
        return delegate.viewport();
    }

    @Override
    public void saveViewport(CanvasViewport viewport, Instant at) {
        delegate.saveViewport(viewport, at);
    }
}
