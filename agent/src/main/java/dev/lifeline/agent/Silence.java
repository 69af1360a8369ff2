package dev.lifeline.agent;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set by the {@code !silence} fault: the agent keeps serving but stops heartbeating, as a hung agent would. */
final class Silence {
    private final AtomicBoolean silent = new AtomicBoolean();

    void fallSilent() {
        silent.set(true);
    }

    boolean silent() {
        return silent.get();
    }
}
