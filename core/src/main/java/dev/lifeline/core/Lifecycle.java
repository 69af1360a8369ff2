package dev.lifeline.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Applies transitions: the guarded update (with its persisted event) in the store, then the
 * broadcast, so an event is published exactly when a row changed.
 */
public final class Lifecycle {
    private final WorkspaceStore store;
    private final EventBus bus;

    public Lifecycle(WorkspaceStore store, EventBus bus) {
        this.store = store;
        this.bus = bus;
    }

    public Optional<Workspace> apply(Transition transition) {
        Optional<Workspace> changed = store.transition(transition);
        changed.ifPresent(w -> bus.publish(new PublishedEvent(transition.event(), transition.at())));
        return changed;
    }

    /** Removes a workspace with its subtree in the store, then broadcasts each removal's event. */
    public TreeRemoval removeTree(WorkspaceId root, boolean withDescendants, java.time.Instant at) {
        TreeRemoval removal = store.removeTree(root, withDescendants, at);
        if (removal instanceof TreeRemoval.Removed removed) {
            removed.events().forEach(event -> bus.publish(new PublishedEvent(event, at)));
        }
        return removal;
    }

    /** Stores a new workspace with its first event, then broadcasts the event. */
    public Workspace create(NewWorkspace workspace, WorkspaceEvent event, java.time.Instant at) {
        Workspace created = store.create(workspace, event, at);
        bus.publish(new PublishedEvent(event, at));
        return created;
    }

    /**
     * Stores a new agent card (a parsed JSON object) with its {@link WorkspaceEvent.AgentCardUpdated},
     * then broadcasts the event; empty, and nothing published, if the workspace is removed or gone.
     */
    public Optional<Workspace> replaceAgentCard(
            WorkspaceId id, java.util.Map<String, @Nullable Object> agentCard, java.time.Instant at) {
        WorkspaceEvent event = new WorkspaceEvent.AgentCardUpdated(id, agentCard, true);
        Optional<Workspace> changed = store.replaceAgentCard(id, PayloadJson.write(agentCard), event, at);
        changed.ifPresent(w -> bus.publish(new PublishedEvent(event, at)));
        return changed;
    }

    /** Publishes an event that goes with no status change (heartbeats, card updates). */
    public void announce(WorkspaceEvent event, java.time.Instant at) {
        if (event.persisted()) {
            store.recordEvent(event, at);
        }
        bus.publish(new PublishedEvent(event, at));
    }

    public WorkspaceStore store() {
        return store;
    }
}
