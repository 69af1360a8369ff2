package dev.lifeline.supervisor;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the backends agree with the database, at boot and periodically: adopts every instance that
 * matches a live row and generation, stops every other instance this server owns, and restarts live
 * rows whose instance is gone. A generation that may still be starting is left to its start: this
 * server's own starts while in flight, and on a shared backend, where another replica may be the one
 * starting it, any claimed less recently than a start there may take ({@link #startGrace}); a
 * generation that is not started by then lost its starter, and its instance is stopped and the
 * generation started again. Rows whose
 * instance this server does not {@link Backends#reaches reach} (another host's processes) are left
 * to their own server.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Set<WorkspaceStatus> LIVE =
            EnumSet.of(WorkspaceStatus.PROVISIONING, WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);
    /** The least time after its claim that a generation on a shared backend may still be starting on another replica. */
    static final Duration START_GRACE = Duration.ofSeconds(60);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final RestartCoordinator restarts;
    private final Supervisor supervisor;
    private final Clock clock;

    public Reconciler(
            Lifecycle lifecycle, Backends backends, RestartCoordinator restarts, Supervisor supervisor, Clock clock) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.restarts = restarts;
        this.supervisor = supervisor;
        this.clock = clock;
    }

    /** Reconciles every backend, as at boot. */
    public void reconcile() {
        reconcile(p -> true);
    }

    /** Reconciles the backends {@code which} selects, over the rows whose instances this server reaches. */
    void reconcile(Predicate<Provisioner> which) {
        eachBackend(which, "reconciling", this::reconcile);
    }

    /**
     * Stops the orphans among the instances {@code which} backends list for this server, and nothing
     * else: for a backend whose list is this server's own ({@link Provisioner#listsPerServer}), every
     * replica reaps its own, whichever replica runs the fleet's reconciliation.
     */
    void reapOrphans(Predicate<Provisioner> which) {
        eachBackend(which, "reaping the orphans of", backend -> {
            var _ = adoptOrStop(backend);
        });
    }

    /** Does {@code work} on each backend {@code which} selects; one that fails is logged and the next round tries again. */
    private void eachBackend(Predicate<Provisioner> which, String doing, Consumer<Provisioner> work) {
        for (Provisioner backend : backends.all()) {
            if (!which.test(backend)) {
                continue;
            }
            try {
                work.accept(backend);
            } catch (RuntimeException e) {
                log.error("{} backend {} failed; the next round tries again", doing, backend.name(), e);
            }
        }
    }

    /** Adopts the listed instances that match their rows, and stops every other one this server is not starting. */
    private Set<InstanceRef> adoptOrStop(Provisioner backend) {
        Set<InstanceRef> adopted = new HashSet<>();
        for (OwnedInstance owned : backend.listOwned()) {
            Optional<Workspace> row = lifecycle.store().find(owned.id());
            boolean matches = row.isPresent()
                    && LIVE.contains(row.get().status())
                    && row.get().generation() == owned.generation()
                    && owned.ref().equals(row.get().instanceRef());
            if (matches) {
                adopted.add(owned.ref());
            } else if (row.isEmpty() || !starting(backend, row.get(), owned)) {
                log.info("stopping orphan {} of {} (generation {})", owned.ref(), owned.id(), owned.generation());
                RestartCoordinator.stopQuietly(backend, owned.id(), owned.ref());
            }
        }
        return adopted;
    }

    /**
     * Whether {@code owned} may be the instance of a start that has not returned yet, so that its row
     * does not name it: one of the generation the row provisions, while that generation may be starting.
     */
    private boolean starting(Provisioner backend, Workspace row, OwnedInstance owned) {
        return row.generation() == owned.generation() && mayBeStarting(backend, row);
    }

    /**
     * Whether the generation {@code row} provisions may be starting: this server starts it now, or,
     * on a shared backend, another replica may, for its claim is recent.
     */
    private boolean mayBeStarting(Provisioner backend, Workspace row) {
        if (row.status() != WorkspaceStatus.PROVISIONING) {
            return false;
        }
        boolean claimedRecently =
                Duration.between(row.updatedAt(), clock.instant()).compareTo(startGrace(backend)) < 0;
        return restarts.inProgress(row.id()) || (!backend.hostLocal() && claimedRecently);
    }

    /**
     * How long after its claim a generation on {@code backend} may still be starting on another
     * replica: as long as a start there may take ({@link Provisioner#longestStart}), and at least
     * {@link #START_GRACE}.
     */
    private static Duration startGrace(Provisioner backend) {
        Duration longest = backend.longestStart();
        return longest.compareTo(START_GRACE) > 0 ? longest : START_GRACE;
    }

    private void reconcile(Provisioner backend) {
        Set<InstanceRef> adopted = adoptOrStop(backend);
        for (Workspace w : lifecycle.store().listByStatus(LIVE)) {
            if (!w.backend().equals(backend.name()) || adopted.contains(w.instanceRef()) || !backends.reaches(w)) {
                continue;
            }
            if (w.instanceRef() == null) {
                if (!mayBeStarting(backend, w)) {
                    restarts.provisionFirst(w);
                }
            } else {
                supervisor.suspect(w, Evidence.SWEEP);
            }
        }
        // A pending restart is in the row and restartDue() finds it; a row left offline with none
        // lost its decision with the server that recorded the death.
        for (Workspace w : lifecycle.store().listByStatus(EnumSet.of(WorkspaceStatus.OFFLINE))) {
            if (w.backend().equals(backend.name())
                    && backends.reaches(w)
                    && w.restart().nextRestartAt() == null
                    && !restarts.inProgress(w.id())) {
                restarts.restartStranded(w.id());
            }
        }
        log.info("backend {}: adopted {} running instance(s)", backend.name(), adopted.size());
    }
}
