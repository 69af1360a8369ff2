package dev.lifeline.core;

/** No workspace with this id exists (or it was removed, where the caller needs a live one). */
public final class WorkspaceNotFoundException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final WorkspaceId id;

    public WorkspaceNotFoundException(WorkspaceId id) {
        super("workspace not found: " + id);
        this.id = id;
    }

    public WorkspaceId id() {
        return id;
    }
}
