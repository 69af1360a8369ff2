package dev.lifeline.core;

/** Starts a hibernated workspace again; the proxy calls it when a call arrives for one. */
@FunctionalInterface
public interface Waker {
    /** Starts waking {@code id} in the background; does nothing unless it is hibernated. */
    void wake(WorkspaceId id);
}
