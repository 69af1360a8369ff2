package dev.lifeline.core;

/** The health layer that raised a suspicion of death. */
public enum Evidence {
    /** The backend pushed an exit or die event. */
    BACKEND_WATCH,
    /** A proxied call failed at the transport level. */
    REACTIVE_TRANSPORT,
    /** A proxied call got 502, 503 or 504 from the agent. */
    REACTIVE_UPSTREAM,
    /** The periodic sweep found the instance not running. */
    SWEEP,
    /** No heartbeat within the TTL. */
    HEARTBEAT_TTL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
