package dev.lifeline.backend.docker;

import java.util.Locale;

/** How a container sees the host's workspace directory at {@code /workspace}. */
public enum WorkspaceAccess {
    /** The host directory is not mounted; the workspace gets its own named volume. */
    NONE,
    READ_ONLY,
    READ_WRITE;

    /** Parses {@code none}, {@code read_only} or {@code read_write}. */
    public static WorkspaceAccess parse(String text) {
        for (WorkspaceAccess access : values()) {
            if (access.wireName().equals(text.strip())) {
                return access;
            }
        }
        throw new IllegalArgumentException(
                "workspace access must be none, read_only or read_write, was '" + text + "'");
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
