package dev.lifeline.testkit;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A backend whose answers the test decides: where started instances listen, and what every probe
 * says. It implements the same {@link Provisioner} interface as the real backends, so the health
 * and restart paths under test are the production ones.
 */
public final class ScriptedProvisioner implements Provisioner {
    private final String name;
    private final Function<StartSpec, @Nullable String> urlFor;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<StartSpec> starts = new CopyOnWriteArrayList<>();
    private final List<InstanceRef> stops = new CopyOnWriteArrayList<>();
    private final Map<InstanceRef, OwnedInstance> running = new ConcurrentHashMap<>();
    private volatile Liveness answer = Liveness.RUNNING;
    private final Map<WorkspaceId, Liveness> answers = new ConcurrentHashMap<>();
    private volatile boolean failStarts;
    private volatile boolean failStops;

    /** @param urlFor the agent URL of each started instance, or null when the backend cannot know it */
    public ScriptedProvisioner(String name, Function<StartSpec, @Nullable String> urlFor) {
        this.name = name;
        this.urlFor = urlFor;
    }

    /** From now on probes of {@code id} answer {@code liveness}, whatever the others answer. */
    public void answerProbesOf(WorkspaceId id, Liveness liveness) {
        answers.put(id, liveness);
    }

    /** From now on every probe answers {@code liveness}. */
    public void answerProbesWith(Liveness liveness) {
        this.answer = liveness;
    }

    public void failStarts(boolean fail) {
        this.failStarts = fail;
    }

    /** From now on every stop fails, as a backend that cannot be reached would; nothing is stopped. */
    public void failStops(boolean fail) {
        this.failStops = fail;
    }

    public List<StartSpec> starts() {
        return List.copyOf(starts);
    }

    public List<InstanceRef> stops() {
        return List.copyOf(stops);
    }

    /** The last spec started for {@code id}. */
    public StartSpec lastStart(WorkspaceId id) {
        List<StartSpec> mine = new ArrayList<>();
        for (StartSpec s : starts) {
            if (s.id().equals(id)) {
                mine.add(s);
            }
        }
        if (mine.isEmpty()) {
            throw new AssertionError("no instance of " + id + " was started");
        }
        return mine.getLast();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Instance start(StartSpec spec) {
        if (failStarts) {
            throw new BackendException(name, "scripted start failure");
        }
        InstanceRef ref = new InstanceRef(name + "-" + counter.incrementAndGet());
        starts.add(spec);
        running.put(ref, new OwnedInstance(spec.id(), spec.generation(), ref));
        return new Instance(ref, urlFor.apply(spec));
    }

    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        if (failStops) {
            throw new BackendException(name, "scripted stop failure");
        }
        stops.add(ref);
        running.remove(ref);
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        return answers.getOrDefault(id, answer);
    }

    @Override
    public List<OwnedInstance> listOwned() {
        return List.copyOf(running.values());
    }
}
