package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The provisioners this server runs, by the name stored in each workspace's {@code backend}. */
public final class Backends {
    private final Map<String, Provisioner> byName = new LinkedHashMap<>();

    public Backends(List<Provisioner> provisioners) {
        for (Provisioner p : provisioners) {
            byName.put(p.name(), p);
        }
    }

    /** The provisioner that owns {@code workspace}; throws if that backend is not configured here. */
    public Provisioner of(Workspace workspace) {
        return named(workspace.backend());
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
}
