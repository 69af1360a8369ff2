package dev.lifeline.core;

/** A backend's handle of one running instance: a pid, a container id, a cloud instance id. */
public record InstanceRef(String value) {
    public InstanceRef {
        if (value.isBlank()) {
            throw new IllegalArgumentException("instance ref must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
