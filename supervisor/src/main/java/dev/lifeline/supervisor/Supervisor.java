package dev.lifeline.supervisor;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where suspicions of death become decisions.
 *
 * <p>Every health layer (backend watch, the proxy's reactive check, the sweep, heartbeat expiry)
 * calls {@link #suspect}. The supervisor asks the workspace's backend and acts only on a definite
 * answer: {@code STOPPED} marks the workspace offline with a guarded update (so twenty failing calls
 * produce one transition) and hands it to the {@link RestartCoordinator}; {@code RUNNING} and
 * {@code UNKNOWN} change nothing, because "can't tell" is not "dead". Evidence about an older
 * generation than the row's is ignored by the same guard.
 */
public final class Supervisor implements HealthCheck {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    static final Set<WorkspaceStatus> MAY_HAVE_LIVE_INSTANCE =
            EnumSet.of(WorkspaceStatus.PROVISIONING, WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final RestartCoordinator restarts;
    private final SupervisorMetrics metrics;
    private final Clock clock;

    public Supervisor(
            Lifecycle lifecycle,
            Backends backends,
            RestartCoordinator restarts,
            SupervisorMetrics metrics,
            Clock clock) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.restarts = restarts;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Verdict suspect(Workspace workspace, Evidence evidence) {
        if (workspace.external()) {
            return evidence == Evidence.HEARTBEAT_TTL ? markOffline(workspace, evidence, false) : Verdict.UNKNOWN;
        }
        Optional<InstanceRef> ref = workspace.instance();
        if (ref.isEmpty()) {
            return restarts.inProgress(workspace.id()) ? Verdict.DEAD_RESTARTING : Verdict.UNKNOWN;
        }
        Liveness liveness = probe(workspace, ref.get());
        metrics.probed(workspace.backend(), evidence, liveness);
        return switch (liveness) {
            case Liveness.Running r -> Verdict.ALIVE;
            case Liveness.Unknown u -> {
                log.warn(
                        "{} suspected by {} but backend {} cannot tell: {}",
                        workspace.id(),
                        evidence.wire(),
                        workspace.backend(),
                        u.cause());
                yield Verdict.UNKNOWN;
            }
            case Liveness.Stopped s -> markOffline(workspace, evidence, true);
        };
    }

    /** Handles a backend's pushed notice that {@code ref} died; stale refs are ignored. */
    public void onDeath(WorkspaceId id, InstanceRef ref, String reason) {
        Optional<Workspace> current = lifecycle.store().find(id);
        if (current.isPresent() && ref.equals(current.get().instanceRef())) {
            log.info("{} instance {} exited ({})", id, ref, reason);
            suspect(current.get(), Evidence.BACKEND_WATCH);
        }
    }

    private Liveness probe(Workspace workspace, InstanceRef ref) {
        try {
            return backends.of(workspace).probe(workspace.id(), ref);
        } catch (RuntimeException e) {
            return Liveness.unknown(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Verdict markOffline(Workspace workspace, Evidence evidence, boolean restart) {
        Transition offline = Transition.to(
                        workspace.id(),
                        WorkspaceStatus.OFFLINE,
                        new WorkspaceEvent.Offline(workspace.id(), evidence.wire()),
                        clock.instant())
                .onlyFrom(
                        restart ? MAY_HAVE_LIVE_INSTANCE : EnumSet.of(WorkspaceStatus.ONLINE, WorkspaceStatus.DEGRADED))
                .ifGeneration(workspace.generation());
        RestartDecision decision = restart ? restarts.decide(workspace) : null;
        if (decision instanceof RestartDecision.Restart next) {
            offline = offline.withRestart(next.state());
        }
        Optional<Workspace> marked = lifecycle.apply(offline);
        if (marked.isPresent()) {
            java.time.Instant lastSign =
                    workspace.lastHeartbeatAt() != null ? workspace.lastHeartbeatAt() : workspace.updatedAt();
            metrics.detected(evidence, workspace, java.time.Duration.between(lastSign, clock.instant()));
            log.info(
                    "{} is dead (generation {}, detected by {})",
                    workspace.id(),
                    workspace.generation(),
                    evidence.wire());
            if (decision != null) {
                restarts.afterDeath(marked.get(), decision);
            }
            return restart ? Verdict.DEAD_RESTARTING : Verdict.DEAD;
        }
        return lifecycle
                .store()
                .find(workspace.id())
                .filter(w -> w.generation() > workspace.generation()
                        || w.status() == WorkspaceStatus.OFFLINE
                        || w.status() == WorkspaceStatus.PROVISIONING)
                .map(w -> restart ? Verdict.DEAD_RESTARTING : Verdict.DEAD)
                .orElse(Verdict.DEAD);
    }
}
