package dev.lifeline.testkit;

import dev.lifeline.core.DeathListener;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.WorkspaceId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A death listener that remembers every death it is told about, for assertions. */
public final class DeathRecorder implements DeathListener {
    private final List<Death> deaths = new CopyOnWriteArrayList<>();

    @Override
    public void onDeath(WorkspaceId id, InstanceRef ref, String reason) {
        deaths.add(new Death(id, ref, reason));
    }

    /** Whether a death of {@code ref} has been reported. */
    public boolean reported(InstanceRef ref) {
        return deaths.stream().anyMatch(death -> death.ref().equals(ref));
    }

    public List<Death> all() {
        return List.copyOf(deaths);
    }

    /** One reported death. */
    public record Death(WorkspaceId id, InstanceRef ref, String reason) {}
}
