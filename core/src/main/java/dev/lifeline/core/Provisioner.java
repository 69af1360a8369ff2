package dev.lifeline.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backend that runs workspaces: local processes, Docker containers, cloud VMs. Every backend
 * implements this one interface, so no health or restart path works for one backend and silently
 * does nothing for another.
 */
public interface Provisioner {

    /** The name stored in each workspace row's {@code backend} column. */
    String name();

    /**
     * The runtimes this backend can start, when it knows them in advance; empty when it accepts any
     * name and leaves the decision to where it provisions. A workspace is only created with a known one.
     */
    default Optional<Set<String>> knownRuntimes() {
        return Optional.empty();
    }

    /**
     * Whether an instance can only be reached from the host of the server that started it (a local
     * process id): then only that server probes or stops it. Instances of other backends (a shared
     * Docker engine, a control plane) are reachable from every replica.
     */
    default boolean hostLocal() {
        return false;
    }

    /** Starts one incarnation; throws {@link BackendException} when it cannot. */
    Instance start(StartSpec spec);

    /**
     * Stops an instance. Idempotent: an instance that is already gone is a success. A real failure
     * throws {@link BackendException}, and the caller then keeps the instance's state for the reaper.
     */
    void stop(WorkspaceId id, InstanceRef ref);

    /** Whether the instance lives; {@link Liveness.Unknown} whenever the backend cannot tell. */
    Liveness probe(WorkspaceId id, InstanceRef ref);

    /** Probes many instances; backends that can answer in one call override this. */
    default Map<WorkspaceId, Liveness> probeAll(Collection<OwnedInstance> instances) {
        Map<WorkspaceId, Liveness> result = new LinkedHashMap<>();
        for (OwnedInstance instance : instances) {
            result.put(instance.id(), probe(instance.id(), instance.ref()));
        }
        return result;
    }

    /** Registers a listener for pushed deaths; backends without push ignore it. */
    default void watch(DeathListener listener) {}

    /** Everything this backend runs for this server, for reconciliation and orphan reaping. */
    List<OwnedInstance> listOwned();

    /**
     * Whether {@link #listOwned} lists only what this server started (a record of its own, not the
     * backend's view of the whole fleet): then every replica reaps its own orphans, since the one
     * replica that reconciles the fleet cannot see the others' lists.
     */
    default boolean listsPerServer() {
        return false;
    }

    /**
     * The longest a {@link #start} may take before it fails. On a shared backend a generation that
     * another replica claimed less than this long ago may still be starting there, so reconciliation
     * leaves it to that start; one minute unless the backend's starts may take longer.
     */
    default Duration longestStart() {
        return Duration.ofMinutes(1);
    }

    /** The instance's boot and log output, with secrets removed, when the backend keeps any. */
    default Optional<String> console(WorkspaceId id, InstanceRef ref) {
        return Optional.empty();
    }
}
