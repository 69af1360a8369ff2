package dev.lifeline.testkit.controlplane;

/**
 * One instance of the fake control plane and its state: {@code pending} until its machine has
 * booted, then {@code running}, then {@code terminated} once deleted or once its machine stopped by
 * itself. A test may force any other state the cloud can report.
 */
final class FakeInstance {
    private final String id;
    private final String workspaceId;
    private final Machines.Machine machine;
    private final long serial;
    private String state = "pending";

    FakeInstance(String id, String workspaceId, Machines.Machine machine, long serial) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.machine = machine;
        this.serial = serial;
    }

    String id() {
        return id;
    }

    String workspaceId() {
        return workspaceId;
    }

    Machines.Machine machine() {
        return machine;
    }

    long serial() {
        return serial;
    }

    synchronized void booted() {
        if (state.equals("pending")) {
            state = "running";
        }
    }

    synchronized void terminate() {
        machine.kill();
        state = "terminated";
    }

    synchronized void force(String forced) {
        state = forced;
    }

    /** The state as the cloud reports it now: a machine that stopped by itself is terminated. */
    synchronized String state() {
        if ((state.equals("running") || state.equals("pending")) && !machine.alive()) {
            state = "terminated";
        }
        return state;
    }
}
