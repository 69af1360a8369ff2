package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provisioners this server runs, by the name stored in each workspace's {@code backend}, and
 * which workspaces' instances this server may reach: an instance of a {@link Provisioner#hostLocal
 * host-local} backend that a server on another host started is that server's business, and this
 * server neither probes nor stops it. Servers on one host reach each other's instances.
 */
public final class Backends {
    private final String host;
    private final Map<String, Provisioner> byName = new LinkedHashMap<>();

    /** @param host where this server runs host-local instances, recorded on every instance it starts */
    public Backends(String host, List<Provisioner> provisioners) {
        this.host = host;
        for (Provisioner p : provisioners) {
            byName.put(p.name(), p);
        }
    }

    /**
     * The provisioner that owns {@code workspace}; throws if that backend is not configured here.
     * For another host's instance it is a stand-in that answers probes with "unknown" and leaves
     * stopping it to its own server.
     */
    public Provisioner of(Workspace workspace) {
        Provisioner p = named(workspace.backend());
        return reaches(workspace) ? p : new OtherHost(p, String.valueOf(workspace.startedBy()));
    }

    public Provisioner named(String name) {
        Provisioner p = byName.get(name);
        if (p == null) {
            throw new BackendException(name, "backend is not configured on this server");
        }
        return p;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Collection<Provisioner> all() {
        return byName.values();
    }

    public String host() {
        return host;
    }

    /**
     * Whether this server may probe and stop {@code workspace}'s instance: always, unless its backend
     * is host-local and was started on another host. An instance with no recorded host predates the
     * record and belongs to the server that owns the data directory, which is this one.
     */
    public boolean reaches(Workspace workspace) {
        Provisioner p = byName.get(workspace.backend());
        String starter = workspace.startedBy();
        return p == null || !p.hostLocal() || starter == null || starter.equals(host);
    }
}
