package dev.lifeline.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a backend started: its handle and, when the backend knows it, the agent's A2A URL. */
public record Instance(InstanceRef ref, @Nullable String url) {
    public Optional<String> endpoint() {
        return Optional.ofNullable(url);
    }
}
