package dev.lifeline.testkit.controlplane;

import java.util.concurrent.atomic.AtomicBoolean;

/** What the fake control plane boots for an instance: the stand-in for a cloud VM. */
public interface Machines extends AutoCloseable {

    /** Boots the machine of {@code instanceId}; throws when it cannot (the provision then fails). */
    Machine boot(String instanceId, ProvisionRequest request) throws Exception;

    /** Releases whatever the machines share (gateways, directories); machines are killed before. */
    @Override
    default void close() {}

    /** One booted machine. */
    interface Machine {
        /** Whether the machine still runs; one that stopped by itself counts as terminated. */
        boolean alive();

        /** Ends the machine at once, as a terminated VM ends. */
        void kill();

        /** The machine's console output so far. */
        String console();
    }

    /** Machines that run nothing: alive until killed, for tests of the contract alone; their console echoes the token. */
    static Machines idle() {
        return (instanceId, request) -> new Machine() {
            private final AtomicBoolean alive = new AtomicBoolean(true);

            @Override
            public boolean alive() {
                return alive.get();
            }

            @Override
            public void kill() {
                alive.set(false);
            }

            @Override
            public String console() {
                // A careless boot script that echoes the agent's token, as real ones do.
                return "booted " + instanceId + " for workspace " + request.workspaceId() + "\n"
                        + "WORKSPACE_AUTH_TOKEN=" + request.env().getOrDefault("WORKSPACE_AUTH_TOKEN", "") + "\n";
            }
        };
    }
}
