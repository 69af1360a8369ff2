package dev.lifeline.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A store that tells its listeners, synchronously and after the write, which workspace a write
 * may have changed. Caches of workspace rows listen, so that nothing this server writes leaves a
 * stale row behind: by the time a writer goes on, the old row is gone from every cache. Caches of
 * token grants listen to the rarer writes that change a workspace's tokens.
 */
public final class NotifyingStore extends ForwardingStore {
    private final List<Consumer<WorkspaceId>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<WorkspaceId>> tokenListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<WorkspaceId>> stateListeners = new CopyOnWriteArrayList<>();

    public NotifyingStore(WorkspaceStore delegate) {
        super(delegate);
    }

    /** Calls {@code listener} with the id of every workspace row written from now on. */
    public void onChange(Consumer<WorkspaceId> listener) {
        listeners.add(listener);
    }

    /**
     * Calls {@code listener} with the id of every workspace row written from now on other than by a
     * heartbeat's figures (which change no state: status, generation, URL, card or settings).
     */
    public void onStateChange(Consumer<WorkspaceId> listener) {
        stateListeners.add(listener);
    }

    /** Calls {@code listener} with the id of every workspace whose token is replaced, or that is removed. */
    public void onTokensChange(Consumer<WorkspaceId> listener) {
        tokenListeners.add(listener);
    }

    @Override
    public void replaceToken(WorkspaceId id, long generation, byte[] sha256, String prefix, Instant at) {
        delegate.replaceToken(id, generation, sha256, prefix, at);
        tokenListeners.forEach(l -> l.accept(id));
    }

    private <T> T changed(WorkspaceId id, T result) {
        for (Consumer<WorkspaceId> l : stateListeners) {
            l.accept(id);
        }
        return beaten(id, result);
    }

    /** A write of heartbeat figures only. */
    private <T> T beaten(WorkspaceId id, T result) {
        for (Consumer<WorkspaceId> l : listeners) {
            l.accept(id);
        }
        return result;
    }

    @Override
    public Workspace create(NewWorkspace workspace, WorkspaceEvent event, Instant at) {
        return changed(workspace.id(), delegate.create(workspace, event, at));
    }

    @Override
    public Optional<Workspace> update(WorkspaceId id, WorkspacePatch patch, Instant at) {
        return changed(id, delegate.update(id, patch, at));
    }

    @Override
    public TreeRemoval removeTree(WorkspaceId root, boolean withDescendants, Instant at) {
        TreeRemoval removal = delegate.removeTree(root, withDescendants, at);
        if (removal instanceof TreeRemoval.Removed removed) {
            removed.rows().forEach(w -> {
                changed(w.id(), w);
                tokenListeners.forEach(l -> l.accept(w.id()));
            });
        }
        return removal;
    }

    @Override
    public Optional<Workspace> transition(Transition transition) {
        return changed(transition.id(), delegate.transition(transition));
    }

    @Override
    public boolean recordInstance(
            WorkspaceId id, long generation, InstanceRef ref, @Nullable String url, String startedBy, Instant at) {
        return changed(id, delegate.recordInstance(id, generation, ref, url, startedBy, at));
    }

    @Override
    public Optional<Workspace> recordHeartbeat(WorkspaceId id, Heartbeat heartbeat, Instant at) {
        return beaten(id, delegate.recordHeartbeat(id, heartbeat, at));
    }

    @Override
    public Optional<Workspace> recordHeartbeat(Workspace current, Heartbeat heartbeat, Instant at) {
        return beaten(current.id(), delegate.recordHeartbeat(current, heartbeat, at));
    }

    @Override
    public int recordHeartbeats(List<HeartbeatWrite> writes) {
        int changed = delegate.recordHeartbeats(writes);
        writes.forEach(w -> beaten(w.id(), w));
        return changed;
    }

    @Override
    public Optional<Workspace> replaceAgentCard(
            WorkspaceId id, String agentCardJson, WorkspaceEvent event, Instant at) {
        return changed(id, delegate.replaceAgentCard(id, agentCardJson, event, at));
    }
}
