package dev.lifeline.supervisor;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic health layers: a sweep that probes every running workspace in one batch per backend,
 * and heartbeat expiry as a database query (so it works across replicas). Both only raise
 * suspicions; the {@link Supervisor} decides. A failing round is logged and the loop goes on.
 */
public final class HealthLoops {
    private static final Logger log = LoggerFactory.getLogger(HealthLoops.class);
    static final int STORM_MIN_FLEET = 4;
    private static final Set<WorkspaceStatus> WATCHED = EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);
    /** The sweep also probes starting instances: one that died before its handle was stored sends no usable notice. */
    private static final Set<WorkspaceStatus> SWEPT =
            EnumSet.of(WorkspaceStatus.PROVISIONING, WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final Supervisor supervisor;
    private final SupervisorConfig config;
    private final Clock clock;
    private final List<Future<?>> loops = new ArrayList<>();
    private volatile boolean watching = true;

    private final RestartCoordinator restarts;
    private final Reconciler reconciler;
    private final SupervisorMetrics metrics;

    public HealthLoops(
            Lifecycle lifecycle,
            Backends backends,
            Supervisor supervisor,
            RestartCoordinator restarts,
            SupervisorConfig config,
            Clock clock) {
        this(lifecycle, backends, supervisor, restarts, config, clock, SupervisorMetrics.NONE);
    }

    /** The loops, each round's duration reported to {@code metrics}. */
    public HealthLoops(
            Lifecycle lifecycle,
            Backends backends,
            Supervisor supervisor,
            RestartCoordinator restarts,
            SupervisorConfig config,
            Clock clock,
            SupervisorMetrics metrics) {
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.supervisor = supervisor;
        this.restarts = restarts;
        this.config = config;
        this.clock = clock;
        this.reconciler = new Reconciler(lifecycle, backends, restarts, supervisor);
    }

    /** Starts both loops on {@code scheduler} and subscribes to every backend's death notices. */
    public void start(ScheduledExecutorService scheduler) {
        long sweep = config.sweepInterval().toMillis();
        loops.add(scheduler.scheduleWithFixedDelay(
                () -> timed("sweep", metrics, this::sweep), sweep, sweep, TimeUnit.MILLISECONDS));
        long ttlCheck = Math.max(1000, config.heartbeatTtl().toMillis() / 6);
        loops.add(scheduler.scheduleWithFixedDelay(
                () -> timed("heartbeat expiry", metrics, this::expireHeartbeats),
                ttlCheck,
                ttlCheck,
                TimeUnit.MILLISECONDS));
        loops.add(scheduler.scheduleWithFixedDelay(
                () -> timed("provision timeout", metrics, this::expireProvisioning), 30, 30, TimeUnit.SECONDS));
        loops.add(scheduler.scheduleWithFixedDelay(
                () -> timed("reconciliation", metrics, reconciler::reconcile), 60, 60, TimeUnit.SECONDS));
        for (Provisioner p : backends.all()) {
            p.watch((id, ref, reason) -> {
                if (watching) {
                    supervisor.onDeath(id, ref, reason);
                }
            });
        }
    }

    /** Stops both loops and ignores death notices from now on (backends keep their listeners). */
    public void stop() {
        watching = false;
        loops.forEach(f -> f.cancel(false));
    }

    /** One sweep: probe each backend's running workspaces in a batch; suspect the ones not running. */
    public void sweep() {
        List<Workspace> running = lifecycle.store().listByStatus(SWEPT);
        for (Provisioner backend : backends.all()) {
            List<Workspace> mine = new ArrayList<>();
            List<OwnedInstance> instances = new ArrayList<>();
            for (Workspace w : running) {
                if (w.backend().equals(backend.name()) && w.instanceRef() != null) {
                    mine.add(w);
                    instances.add(new OwnedInstance(w.id(), w.generation(), w.instanceRef()));
                }
            }
            if (instances.isEmpty()) {
                continue;
            }
            Map<WorkspaceId, Liveness> answers = backend.probeAll(instances);
            if (looksLikeAnOutage(answers.values())) {
                log.warn(
                        "backend {} cannot answer for a large share of its {} workspaces; treating it as a backend"
                                + " outage, not as deaths: no restarts this round",
                        backend.name(),
                        instances.size());
                continue;
            }
            for (Workspace w : mine) {
                if (answers.get(w.id()) instanceof Liveness.Stopped) {
                    supervisor.suspect(w, Evidence.SWEEP);
                }
            }
        }
    }

    /**
     * The storm guard: when the backend cannot answer for some of its fleet and, together with the
     * instances it calls stopped, that is more than half of a fleet of at least four, the backend is
     * more likely down than half the agents dead at once.
     */
    static boolean looksLikeAnOutage(java.util.Collection<Liveness> answers) {
        long unknown =
                answers.stream().filter(Liveness.Unknown.class::isInstance).count();
        long stopped =
                answers.stream().filter(Liveness.Stopped.class::isInstance).count();
        return answers.size() >= STORM_MIN_FLEET && unknown > 0 && (unknown + stopped) * 2 > answers.size();
    }

    /** Suspects every running workspace whose last heartbeat is older than the TTL. */
    public void expireHeartbeats() {
        for (Workspace w :
                lifecycle.store().silentSince(WATCHED, clock.instant().minus(config.heartbeatTtl()))) {
            supervisor.suspect(w, Evidence.HEARTBEAT_TTL);
        }
    }

    /** Fails, and stops, every generation that has not registered within its runtime's timeout. */
    public void expireProvisioning() {
        Instant now = clock.instant();
        Duration shortest = config.provisionTimeoutByRuntime().values().stream()
                .reduce(config.provisionTimeout(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        for (Workspace w :
                lifecycle.store().silentSince(EnumSet.of(WorkspaceStatus.PROVISIONING), now.minus(shortest))) {
            Duration timeout = config.provisionTimeoutOf(w.runtime());
            if (Duration.between(w.updatedAt(), now).compareTo(timeout) >= 0 && !restarts.inProgress(w.id())) {
                restarts.giveUp(
                        w,
                        "provisioning timed out after " + timeout.toSeconds()
                                + " s: the agent started but never called /registry/register; check its console");
            }
        }
    }

    /** Runs one round of {@code loop} and reports its duration; a failing round is logged, never thrown. */
    public static void timed(String loop, SupervisorMetrics metrics, Runnable round) {
        long start = System.nanoTime();
        try {
            round.run();
        } catch (RuntimeException e) {
            log.error("{} round failed; the next round runs as scheduled", loop, e);
        } finally {
            metrics.loopRound(loop, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
