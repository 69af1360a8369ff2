import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many lightweight simulated agents behind one backend named "fleet": starting one registers it
 * over HTTP with its own workspace token and sends its heartbeats at the agent interval, each agent
 * with its own URL path. {@link #kill} makes an agent vanish (probes answer stopped, heartbeats stop);
 * {@link #silence} stops its heartbeats while probes still answer running, a hung agent: Lifeline's
 * heartbeat expiry then asks the backend about it alone ({@link #probe}; the sweep uses {@link
 * #probeAll}), and that single probe is the moment the silence was noticed.
 */
final class SimulatedFleet implements Provisioner {
    private final long heartbeatMillis;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().daemon().name("fleet-timer").factory());
    private final Map<WorkspaceId, Agent> agents = new ConcurrentHashMap<>();
    final LongAdder heartbeats = new LongAdder();
    final LongAdder failedHeartbeats = new LongAdder();
    /** Silenced agents not asked about yet: the time of the silence and of their last heartbeat. */
    private final Map<WorkspaceId, long[]> silenced = new ConcurrentHashMap<>();
    /** For each silenced agent once asked about: nanoseconds from the silence and from its last heartbeat. */
    final List<long[]> silenceNoticed = new CopyOnWriteArrayList<>();

    SimulatedFleet(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    private final class Agent {
        final StartSpec spec;
        final InstanceRef ref;
        volatile boolean alive = true;
        volatile long lastBeat = System.nanoTime();
        volatile ScheduledFuture<?> beats;

        Agent(StartSpec spec) {
            this.spec = spec;
            this.ref = new InstanceRef("sim-" + spec.id() + "-" + spec.generation());
        }

        String url() {
            return "http://127.0.0.1:9/agents/" + spec.id();
        }

        void register() {
            post("/registry/register", "{\"id\":\"" + spec.id() + "\",\"url\":\"" + url()
                    + "\",\"agent_card\":{\"name\":\"sim\"}}");
            long phase = ThreadLocalRandom.current().nextLong(heartbeatMillis);
            beats = timers.scheduleAtFixedRate(this::beat, phase, heartbeatMillis, TimeUnit.MILLISECONDS);
        }

        /**
         * Sends one heartbeat from the timer's thread and counts its answer on the HTTP client's: no
         * virtual thread, whose carrier Lifeline shares, does the simulator's work.
         */
        void beat() {
            var _ = Bench.HTTP
                    .sendAsync(
                            request("/registry/heartbeat", "{\"workspace_id\":\"" + spec.id()
                                    + "\",\"error_rate\":0,\"active_tasks\":0,\"uptime_seconds\":1}"),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, failure) -> {
                        if (failure == null && r.statusCode() == 200) {
                            heartbeats.increment();
                            lastBeat = System.nanoTime();
                        } else {
                            failedHeartbeats.increment();
                        }
                    });
        }

        boolean post(String path, String body) {
            try {
                return Bench.HTTP.send(request(path, body), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }

        HttpRequest request(String path, String body) {
            return HttpRequest.newBuilder(URI.create(spec.platformUrl() + path))
                    .header("Authorization", "Bearer " + spec.env().get("WORKSPACE_AUTH_TOKEN"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }

        void quiet() {
            ScheduledFuture<?> b = beats;
            if (b != null) {
                b.cancel(false);
            }
        }
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public Instance start(StartSpec spec) {
        Agent agent = new Agent(spec);
        Agent old = agents.put(spec.id(), agent);
        if (old != null) {
            old.quiet();
        }
        Thread.startVirtualThread(agent::register);
        return new Instance(agent.ref, agent.url());
    }

    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        Agent a = agents.get(id);
        if (a != null && a.ref.equals(ref)) {
            a.alive = false;
            a.quiet();
        }
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        long[] silence = silenced.remove(id);
        if (silence != null) {
            long now = System.nanoTime();
            silenceNoticed.add(new long[] {now - silence[0], now - silence[1]});
        }
        return answer(id, ref);
    }

    @Override
    public Map<WorkspaceId, Liveness> probeAll(Collection<OwnedInstance> instances) {
        Map<WorkspaceId, Liveness> answers = new HashMap<>();
        instances.forEach(i -> answers.put(i.id(), answer(i.id(), i.ref())));
        return answers;
    }

    private Liveness answer(WorkspaceId id, InstanceRef ref) {
        Agent a = agents.get(id);
        return a != null && a.ref.equals(ref) && a.alive ? new Liveness.Running() : new Liveness.Stopped();
    }

    @Override
    public List<OwnedInstance> listOwned() {
        List<OwnedInstance> owned = new ArrayList<>();
        agents.values().forEach(a -> {
            if (a.alive) {
                owned.add(new OwnedInstance(a.spec.id(), a.spec.generation(), a.ref));
            }
        });
        return owned;
    }

    /** The agent dies: it stops heartbeating and the backend reports it stopped. */
    void kill(WorkspaceId id) {
        Agent a = agents.get(id);
        a.alive = false;
        a.quiet();
    }

    /** The agent hangs: no more heartbeats, but the backend still sees it running. */
    void silence(WorkspaceId id) {
        Agent a = agents.get(id);
        a.quiet();
        silenced.put(id, new long[] {System.nanoTime(), a.lastBeat});
    }

    void close() {
        timers.shutdownNow();
    }
}
