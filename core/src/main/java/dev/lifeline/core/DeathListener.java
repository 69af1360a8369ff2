package dev.lifeline.core;

/** Receives a backend's push notice that an instance has died (process exit, container die). */
@FunctionalInterface
public interface DeathListener {
    void onDeath(WorkspaceId id, InstanceRef ref, String reason);
}
