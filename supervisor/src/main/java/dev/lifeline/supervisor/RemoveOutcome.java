package dev.lifeline.supervisor;

import dev.lifeline.core.Workspace;
import java.util.List;

/** What a request to remove a workspace did: nothing yet (children need confirming), or the removal. */
public sealed interface RemoveOutcome {

    /** Nothing was removed: the workspace has live children and the caller did not confirm. */
    record ConfirmationRequired(List<Workspace> children) implements RemoveOutcome {
        public ConfirmationRequired {
            children = List.copyOf(children);
        }
    }

    /**
     * The workspace and its descendants are marked removed.
     *
     * @param removedCount rows this request marked removed (the root and its descendants)
     * @param cascadeDeleted descendants among them
     * @param stopFailures instances whose stop failed; they are left for the reaper
     */
    record Removed(int removedCount, int cascadeDeleted, int stopFailures) implements RemoveOutcome {}
}
