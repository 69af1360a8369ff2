package dev.lifeline.core;

/** An instance a backend runs for this server, found again by its labels. */
public record OwnedInstance(WorkspaceId id, long generation, InstanceRef ref) {}
