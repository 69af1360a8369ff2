package dev.lifeline.backend.controlplane;

import dev.lifeline.core.Liveness;
import java.util.Locale;

/**
 * What an instance state reported by the control plane means for Lifeline.
 *
 * <p>{@code running} is alive. {@code pending} is a VM still booting: it is alive too, as a process
 * that has started but not yet opened its port is, because Lifeline's sweep also probes workspaces
 * that are still provisioning, and a booting VM read as dead would be replaced before it ever came
 * up. Every other state ({@code stopping}, {@code stopped}, {@code shutting-down}, {@code
 * terminated}, anything new) is dead. A VM that never leaves {@code pending} is caught by the
 * provision timeout.
 */
final class InstanceStates {
    private InstanceStates() {}

    static Liveness liveness(String state) {
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "running", "pending" -> Liveness.RUNNING;
            default -> Liveness.STOPPED;
        };
    }
}
