package dev.lifeline.core;

/**
 * A backend's answer to "is this instance alive?". Only {@link Stopped} is proof of death;
 * {@link Unknown} ("can't tell") must never lead to anything destructive.
 */
public sealed interface Liveness {

    Liveness RUNNING = new Running();
    Liveness STOPPED = new Stopped();

    static Liveness unknown(String cause) {
        return new Unknown(cause);
    }

    /** The instance is alive. */
    record Running() implements Liveness {}

    /** The instance is gone: proven dead. */
    record Stopped() implements Liveness {}

    /** The backend could not tell (error, timeout, unreachable); {@code cause} is for logs. */
    record Unknown(String cause) implements Liveness {}
}
