package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Waker;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point for starting a workspace's next generation: first provision, automatic
 * restart after proven death, and manual restart. Restarts are single-flight per workspace, and
 * automatic ones follow the back-off policy.
 */
public final class RestartCoordinator implements Waker {
    private static final Logger log = LoggerFactory.getLogger(RestartCoordinator.class);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final SupervisorConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final SupervisorMetrics metrics;
    private final Map<WorkspaceId, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<WorkspaceId, RestartHistory> history = new ConcurrentHashMap<>();
    private final Semaphore starting;
    private final java.util.Set<WorkspaceId> pending = ConcurrentHashMap.newKeySet();

    public RestartCoordinator(
            Lifecycle lifecycle,
            Backends backends,
            SupervisorConfig config,
            Clock clock,
            ScheduledExecutorService scheduler,
            DoubleSupplier random,
            SupervisorMetrics metrics) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.metrics = metrics;
        this.starting = new Semaphore(config.maxConcurrentStarts());
    }

    /** Whether this server has an automatic restart of {@code id} waiting out its back-off. */
    public boolean scheduled(WorkspaceId id) {
        return pending.contains(id);
    }

    /** Whether a restart of {@code id} has been claimed and its new instance is not started yet. */
    public boolean inProgress(WorkspaceId id) {
        return inFlight.containsKey(id);
    }

    /**
     * Schedules the automatic restart of a workspace that was just marked offline, or fails it when
     * it has used up its crash-loop budget.
     */
    public void afterDeath(WorkspaceId id) {
        RestartHistory h = history.merge(
                id,
                RestartHistory.first(clock.instant()),
                (old, fresh) -> old.next(clock.instant(), config.stableAfter()));
        if (h.attempts() > config.crashLoopRestarts()) {
            history.remove(id);
            lifecycle
                    .store()
                    .find(id)
                    .filter(w -> w.status() == WorkspaceStatus.OFFLINE)
                    .ifPresent(w -> fail(
                            w,
                            "crash loop: the agent died " + h.attempts() + " times with less than "
                                    + config.stableAfter().toMinutes()
                                    + " minutes between restarts; fix it, then restart it"));
            return;
        }
        Duration delay = config.backoff().delayBefore(h.attempts(), random.getAsDouble());
        log.info("{} restart #{} in {} ms", id, h.attempts(), delay.toMillis());
        metrics.backedOff(h.attempts(), delay);
        pending.add(id);
        Runnable restart = () -> Thread.ofVirtual().start(() -> {
            try {
                restartAutomatically(id);
            } finally {
                pending.remove(id);
            }
        });
        Future<?> _ = scheduler.schedule(restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the first generation of a workspace created in {@code provisioning}. */
    public void provisionFirst(Workspace workspace) {
        if (inFlight.putIfAbsent(workspace.id(), Boolean.TRUE) != null) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                startGeneration(workspace);
            } finally {
                inFlight.remove(workspace.id());
            }
        });
    }

    /**
     * Claims a manual restart now (the row is {@code provisioning} on return) and starts the new
     * generation in the background. A workspace already being restarted answers with a conflict.
     */
    public Workspace restartManually(WorkspaceId id) {
        return restartNow(id, WorkspaceStatus.PROVISIONING.reachableFrom());
    }

    /** Like {@link #restartManually}, but only for a workspace that is still paused. */
    public Workspace resume(WorkspaceId id) {
        return restartNow(id, EnumSet.of(WorkspaceStatus.PAUSED));
    }

    private Workspace restartNow(WorkspaceId id, java.util.Set<WorkspaceStatus> from) {
        Workspace current = lifecycle.store().find(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
        if (current.status() == WorkspaceStatus.REMOVED) {
            throw new WorkspaceNotFoundException(id);
        }
        if (current.external()) {
            throw new ConflictException("external workspaces are restarted by their operator, not by Lifeline");
        }
        pausedAncestor(current).ifPresent(parent -> {
            throw new ConflictException("parent workspace \"" + parent.name() + "\" is paused — resume it first");
        });
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            throw new ConflictException("a restart of this workspace is already in progress");
        }
        try {
            Workspace claimed = claim(current, from)
                    .orElseThrow(() -> new ConflictException("workspace changed state during the restart; retry"));
            history.remove(id);
            metrics.restarted(false);
            Thread.ofVirtual().start(() -> {
                try {
                    replace(current, claimed);
                } finally {
                    inFlight.remove(id);
                }
            });
            return claimed;
        } catch (RuntimeException e) {
            inFlight.remove(id);
            throw e;
        }
    }

    /** Starts the next generation of a hibernated workspace; anything else is left alone. */
    @Override
    public void wake(WorkspaceId id) {
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                Optional<Workspace> current = lifecycle.store().find(id);
                if (current.isPresent() && current.get().status() == WorkspaceStatus.HIBERNATED) {
                    claim(current.get(), EnumSet.of(WorkspaceStatus.HIBERNATED))
                            .ifPresent(claimed -> replace(current.get(), claimed));
                }
            } catch (RuntimeException e) {
                log.error("waking {} failed", id, e);
            } finally {
                inFlight.remove(id);
            }
        });
    }

    private void restartAutomatically(WorkspaceId id) {
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return;
        }
        try {
            Optional<Workspace> current = lifecycle.store().find(id);
            if (current.isEmpty()
                    || current.get().status() != WorkspaceStatus.OFFLINE
                    || current.get().external()
                    || pausedAncestor(current.get()).isPresent()) {
                return;
            }
            Workspace dead = current.get();
            Optional<Workspace> claimed = claim(dead, EnumSet.of(WorkspaceStatus.OFFLINE));
            if (claimed.isPresent()) {
                metrics.restarted(true);
                replace(dead, claimed.get());
            }
        } catch (RuntimeException e) {
            log.error("automatic restart of {} failed", id, e);
        } finally {
            inFlight.remove(id);
        }
    }

    /** Gives up on a generation that never came up: marks it failed and stops its instance. */
    public void giveUp(Workspace workspace, String reason) {
        if (fail(workspace, reason) && workspace.instance().isPresent()) {
            try {
                stopQuietly(
                        backends.of(workspace),
                        workspace.id(),
                        workspace.instance().get());
            } catch (BackendException e) {
                log.error("{} backend is gone; its instance cannot be stopped", workspace.id(), e);
            }
        }
    }

    /** The nearest paused ancestor, if any (a paused subtree is never restarted piecemeal). */
    private Optional<Workspace> pausedAncestor(Workspace w) {
        WorkspaceId parent = w.parentId();
        for (int depth = 0; parent != null && depth < Hierarchy.MAX_DEPTH; depth++) {
            Optional<Workspace> p = lifecycle.store().find(parent);
            if (p.isEmpty()) {
                return Optional.empty();
            }
            if (p.get().status() == WorkspaceStatus.PAUSED) {
                return p;
            }
            parent = p.get().parentId();
        }
        return Optional.empty();
    }

    private Optional<Workspace> claim(Workspace current, java.util.Set<WorkspaceStatus> from) {
        return lifecycle.apply(Transition.to(
                        current.id(),
                        WorkspaceStatus.PROVISIONING,
                        new WorkspaceEvent.Provisioning(
                                current.id(), current.name(), current.tier(), current.runtime()),
                        clock.instant())
                .onlyFrom(from)
                .ifGeneration(current.generation())
                .withNewGeneration());
    }

    private void replace(Workspace previous, Workspace next) {
        Optional<InstanceRef> old = previous.instance();
        if (old.isPresent()) {
            try {
                backends.of(previous).stop(previous.id(), old.get());
            } catch (BackendException e) {
                log.error("{} previous instance {} could not be stopped", previous.id(), old.get(), e);
                fail(next, "the previous instance could not be stopped; it is kept for the reaper");
                return;
            }
        }
        startGeneration(next);
    }

    private void startGeneration(Workspace workspace) {
        Provisioner provisioner;
        try {
            provisioner = backends.of(workspace);
        } catch (BackendException e) {
            fail(workspace, "backend '" + workspace.backend() + "' is not configured on this server");
            return;
        }
        String token = WorkspaceTokens.mint();
        lifecycle
                .store()
                .replaceToken(
                        workspace.id(),
                        workspace.generation(),
                        WorkspaceTokens.hash(token),
                        WorkspaceTokens.prefix(token),
                        clock.instant());
        StartSpec spec = new StartSpec(
                workspace.id(),
                workspace.generation(),
                workspace.name(),
                workspace.runtime(),
                workspace.tier(),
                config.platformUrl(),
                withToken(config.agentEnv(), token));
        Instance instance;
        try {
            starting.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            instance = provisioner.start(spec);
        } catch (BackendException e) {
            log.error("{} generation {} failed to start", workspace.id(), workspace.generation(), e);
            fail(workspace, "workspace start failed: " + e.getMessage());
            return;
        } finally {
            starting.release();
        }
        boolean recorded = lifecycle
                .store()
                .recordInstance(
                        workspace.id(),
                        workspace.generation(),
                        instance.ref(),
                        instance.url(),
                        backends.serverId(),
                        clock.instant());
        if (!recorded) {
            log.info("{} moved on while generation {} started; stopping it", workspace.id(), workspace.generation());
            stopQuietly(provisioner, workspace.id(), instance.ref());
        }
    }

    private static Map<String, String> withToken(Map<String, String> env, String token) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("WORKSPACE_AUTH_TOKEN", token);
        return all;
    }

    private boolean fail(Workspace workspace, String reason) {
        return lifecycle
                .apply(Transition.to(
                                workspace.id(),
                                WorkspaceStatus.FAILED,
                                new WorkspaceEvent.ProvisionFailed(workspace.id(), reason),
                                clock.instant())
                        .ifGeneration(workspace.generation())
                        .withFailure(reason))
                .isPresent();
    }

    static void stopQuietly(Provisioner provisioner, WorkspaceId id, InstanceRef ref) {
        try {
            provisioner.stop(id, ref);
        } catch (BackendException e) {
            log.error("{} instance {} could not be stopped", id, ref, e);
        }
    }
}
