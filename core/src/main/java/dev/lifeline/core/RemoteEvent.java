package dev.lifeline.core;

import java.time.Instant;

/**
 * An event another replica produced, as it crossed: its wire name, workspace, payload (JSON text)
 * and time. {@code id} is its row in {@code structure_events}, or 0 for a broadcast-only event.
 */
public record RemoteEvent(long id, String type, WorkspaceId workspaceId, String payloadJson, Instant at) {

    public boolean persisted() {
        return id > 0;
    }
}
