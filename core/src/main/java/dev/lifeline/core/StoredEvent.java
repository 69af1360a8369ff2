package dev.lifeline.core;

import java.time.Instant;

/** A persisted event as read back from {@code structure_events}; payload is its JSON text. */
public record StoredEvent(long id, String type, WorkspaceId workspaceId, String payloadJson, Instant createdAt) {}
