package dev.lifeline.core;

import java.util.UUID;

/** The identity of a workspace: a UUID, rendered in its canonical lower-case form. */
public record WorkspaceId(UUID value) {

    /** Parses a workspace id, throwing {@link InvalidRequestException} when it is not a UUID. */
    public static WorkspaceId parse(String text) {
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not canonical");
            }
            return new WorkspaceId(uuid);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid workspace ID", "use the id returned by POST /workspaces");
        }
    }

    public static WorkspaceId random() {
        return new WorkspaceId(UUID.randomUUID());
    }

    /** The first 12 characters, used in process and container names. */
    public String shortForm() {
        return value.toString().substring(0, 12);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
