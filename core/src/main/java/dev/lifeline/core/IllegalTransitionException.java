package dev.lifeline.core;

/** A status change that the transition table of {@link WorkspaceStatus} does not allow. */
public final class IllegalTransitionException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final WorkspaceStatus from;
    private final WorkspaceStatus to;

    public IllegalTransitionException(WorkspaceStatus from, WorkspaceStatus to) {
        super("workspace cannot move from " + from.wire() + " to " + to.wire());
        this.from = from;
        this.to = to;
    }

    public WorkspaceStatus from() {
        return from;
    }

    public WorkspaceStatus to() {
        return to;
    }
}
