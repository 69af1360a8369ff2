package dev.lifeline.supervisor;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host-local backend seen from a server that did not start the instance in question: its process
 * id names nothing (or something else) on this host, so it is never probed or signalled here. Its
 * liveness comes from its heartbeats and its own server's probes.
 */
final class OtherHost implements Provisioner {
    private static final Logger log = LoggerFactory.getLogger(OtherHost.class);
    private final Provisioner local;
    private final String starter;

    OtherHost(Provisioner local, String starter) {
        this.local = local;
        this.starter = starter;
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public boolean hostLocal() {
        return true;
    }

    @Override
    public Instance start(StartSpec spec) {
        return local.start(spec);
    }

    /**
     * Leaves the process alone: once its row has moved on (removed, paused, a newer generation), its
     * own server stops it as an orphan at its next local reconciliation.
     */
    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        log.info("{} instance {} runs on the host of server {}; that server stops it", id, ref, starter);
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        return Liveness.unknown("instance " + ref + " runs on the host of server " + starter);
    }

    @Override
    public List<OwnedInstance> listOwned() {
        return local.listOwned();
    }
}
