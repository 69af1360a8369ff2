package dev.lifeline.core;

/** The workspace and generation a live workspace token was minted for. */
public record TokenGrant(WorkspaceId workspaceId, long generation) {}
