package dev.lifeline.core;

import java.util.List;

/** What {@link WorkspaceStore#removeTree} did: nothing, for want of a confirmation, or the removal. */
public sealed interface TreeRemoval {

    /** Nothing changed: the workspace has live children and removing them too was not asked for. */
    record ChildrenNotConfirmed(List<Workspace> children) implements TreeRemoval {
        public ChildrenNotConfirmed {
            children = List.copyOf(children);
        }
    }

    /**
     * The rows marked removed, descendants first (parents before their children) and the root last,
     * with the event each recorded, in the same order.
     */
    record Removed(List<Workspace> rows, List<WorkspaceEvent> events) implements TreeRemoval {
        public Removed {
            rows = List.copyOf(rows);
            events = List.copyOf(events);
        }

        /** The descendants among the removed rows. */
        public int cascadeDeleted() {
            return rows.size() - 1;
        }
    }
}
