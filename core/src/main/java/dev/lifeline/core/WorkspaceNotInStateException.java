package dev.lifeline.core;

/**
 * No live workspace with this id is in the state a lifecycle request needs (404, as the reference
 * answers pause and resume). The message is the reason shown to the client, e.g. {@code workspace
 * not found or already paused}.
 */
public final class WorkspaceNotInStateException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final WorkspaceId id;

    public WorkspaceNotInStateException(WorkspaceId id, String reason) {
        super(reason);
        this.id = id;
    }

    public WorkspaceId id() {
        return id;
    }
}
