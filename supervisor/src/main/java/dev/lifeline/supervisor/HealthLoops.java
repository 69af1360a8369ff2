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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic health layers: a sweep that probes every running workspace in one batch per backend,
 * heartbeat expiry as a database query (so it works across replicas), the provision timeout and the
 * periodic reconciliation. They only raise suspicions; the {@link Supervisor} decides. Their
 * schedule, and which replica runs them, is {@link PeriodicWork}'s.
 */
public final class HealthLoops {
    private static final Logger log = LoggerFactory.getLogger(HealthLoops.class);
    static final int STORM_MIN_FLEET = 4;
    /** How late at most a back-off that no timer of this server waits for (it was decided elsewhere) ends. */
    static final Duration RESTART_DUE_PERIOD = Duration.ofSeconds(1);

    static final Predicate<Provisioner> SHARED = p -> !p.hostLocal();
    static final Predicate<Provisioner> HOST_LOCAL = Provisioner::hostLocal;
    /** Shared backends whose list of instances is each server's own: every replica reaps its orphans. */
    static final Predicate<Provisioner> LISTED_PER_SERVER = SHARED.and(Provisioner::listsPerServer);

    private static final Duration PROVISION_CHECK = Duration.ofSeconds(30);
    private static final Duration RECONCILIATION = Duration.ofSeconds(60);
    private static final Set<WorkspaceStatus> WATCHED = EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);
    /** The sweep also probes starting instances: one that died before its handle was stored sends no usable notice. */
    private static final Set<WorkspaceStatus> SWEPT =
            EnumSet.of(WorkspaceStatus.PROVISIONING, WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final Supervisor supervisor;
    private final SupervisorConfig config;
    private final Clock clock;
    private volatile boolean watching = true;

    private final RestartCoordinator restarts;
    private final Reconciler reconciler;

    public HealthLoops(
            Lifecycle lifecycle,
            Backends backends,
            Supervisor supervisor,
            RestartCoordinator restarts,
            SupervisorConfig config,
            Clock clock) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.supervisor = supervisor;
        this.restarts = restarts;
        this.config = config;
        this.clock = clock;
        this.reconciler = new Reconciler(lifecycle, backends, restarts, supervisor, clock);
    }

    /** Subscribes to every backend's death notices. */
    public void watchDeaths() {
        for (Provisioner p : backends.all()) {
            p.watch((id, ref, reason) -> {
                if (watching) {
                    supervisor.onDeath(id, ref, reason);
                }
            });
        }
    }

    /** Ignores death notices from now on (backends keep their listeners). */
    public void stopWatching() {
        watching = false;
    }

    /**
     * Adds this server's health loops to {@code work}: the sweep and the reconciliation of shared
     * backends once per fleet, of host-local backends on every replica (each its own instances), and
     * the orphans of a shared backend whose list is each server's own on every replica too;
     * heartbeat expiry and the provision timeout, both queries of the database, once per fleet.
     */
    public PeriodicWork register(PeriodicWork work) {
        return work.fleet("sweep", config.sweepInterval(), () -> sweep(SHARED))
                .replica("local sweep", config.sweepInterval(), () -> sweep(HOST_LOCAL))
                .fleet("heartbeat expiry", heartbeatCheck(), this::expireHeartbeats)
                .fleet("provision timeout", PROVISION_CHECK, this::expireProvisioning)
                .fleet("reconciliation", RECONCILIATION, () -> reconciler.reconcile(SHARED))
                .replica("local reconciliation", RECONCILIATION, () -> reconciler.reconcile(HOST_LOCAL))
                .replica("orphan reaping", RECONCILIATION, () -> reconciler.reapOrphans(LISTED_PER_SERVER))
                // on every replica: a claim is a compare-and-set, and the server that decided the
                // back-off usually claims first by its own timer
                .replica("due restarts", RESTART_DUE_PERIOD, restarts::restartDue);
    }

    private Duration heartbeatCheck() {
        return Duration.ofMillis(Math.max(1000, config.heartbeatTtl().toMillis() / 6));
    }

    /** One sweep of every backend, over the instances this server reaches. */
    public void sweep() {
        sweep(p -> true);
    }

    /**
     * One sweep of the backends {@code which} selects: probe each one's running workspaces that this
     * server reaches in a batch; suspect the ones not running.
     */
    void sweep(Predicate<Provisioner> which) {
        List<Workspace> running = lifecycle.store().listByStatus(SWEPT);
        for (Provisioner backend : backends.all()) {
            if (!which.test(backend)) {
                continue;
            }
            List<Workspace> mine = new ArrayList<>();
            List<OwnedInstance> instances = new ArrayList<>();
            for (Workspace w : running) {
                if (w.backend().equals(backend.name()) && w.instanceRef() != null && backends.reaches(w)) {
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
}
