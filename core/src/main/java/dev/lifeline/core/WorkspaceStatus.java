package dev.lifeline.core;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle state of a workspace, with the one table of legal transitions.
 *
 * <p>Every status change in Lifeline is checked against {@link #canMoveTo} and applied as a guarded
 * update whose guard is {@link #reachableFrom} the target.
 */
public enum WorkspaceStatus {
    PROVISIONING,
    AWAITING_AGENT,
    ONLINE,
    DEGRADED,
    OFFLINE,
    FAILED,
    PAUSED,
    HIBERNATED,
    REMOVED;

    private Set<WorkspaceStatus> next() {
        return switch (this) {
            case PROVISIONING -> EnumSet.of(PROVISIONING, AWAITING_AGENT, ONLINE, OFFLINE, FAILED, PAUSED, REMOVED);
            case AWAITING_AGENT -> EnumSet.of(ONLINE, OFFLINE, FAILED, PAUSED, REMOVED);
            case ONLINE -> EnumSet.of(DEGRADED, OFFLINE, PROVISIONING, FAILED, PAUSED, HIBERNATED, REMOVED);
            case DEGRADED -> EnumSet.of(ONLINE, OFFLINE, PROVISIONING, FAILED, PAUSED, HIBERNATED, REMOVED);
            case OFFLINE -> EnumSet.of(ONLINE, PROVISIONING, FAILED, PAUSED, REMOVED);
            case FAILED -> EnumSet.of(PROVISIONING, PAUSED, REMOVED);
            case PAUSED -> EnumSet.of(PROVISIONING, REMOVED);
            case HIBERNATED -> EnumSet.of(PROVISIONING, PAUSED, REMOVED);
            case REMOVED -> EnumSet.noneOf(WorkspaceStatus.class);
        };
    }

    public boolean canMoveTo(WorkspaceStatus target) {
        return next().contains(target);
    }

    /** Every status from which {@code this} may be entered: the guard of a transition to it. */
    public Set<WorkspaceStatus> reachableFrom() {
        EnumSet<WorkspaceStatus> from = EnumSet.noneOf(WorkspaceStatus.class);
        for (WorkspaceStatus s : values()) {
            if (s.canMoveTo(this)) {
                from.add(s);
            }
        }
        return from;
    }

    /** Throws {@link IllegalTransitionException} unless {@code this → target} is in the table. */
    public void checkMoveTo(WorkspaceStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException(this, target);
        }
    }

    /** Whether the proxy may route calls to a workspace in this state. */
    public boolean routable() {
        return this == ONLINE || this == DEGRADED;
    }

    /** The stored and wire form: lower case, as in the reference. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkspaceStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
