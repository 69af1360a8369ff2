package dev.lifeline.supervisor;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.RestartState;
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
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point for starting a workspace's next generation: first provision, automatic
 * restart after proven death, and manual restart. Restarts are single-flight per workspace (in
 * process, and across servers by the compare-and-set claim of the next generation). Automatic ones
 * follow the {@link RestartPolicy}, whose state lives in the workspace's row: a pending back-off is
 * found by {@link #restartDue} on any server, after a restart of this one too.
 */
public final class RestartCoordinator implements Waker {
    private static final Logger log = LoggerFactory.getLogger(RestartCoordinator.class);

    private final Lifecycle lifecycle;
    private final Backends backends;
    private final SupervisorConfig config;
    private final RestartPolicy policy;
    private final Clock clock;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final SupervisorMetrics metrics;
    private final Map<WorkspaceId, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Semaphore starting;

    /**
     * @param executor runs the claims and starts of new generations (virtual threads in production)
     * @param scheduler wakes this server when a back-off it decided ends; only a shortcut, since
     *     {@link #restartDue} finds every due restart in the database
     */
    public RestartCoordinator(
            Lifecycle lifecycle,
            Backends backends,
            SupervisorConfig config,
            Clock clock,
            Executor executor,
            ScheduledExecutorService scheduler,
            DoubleSupplier random,
            SupervisorMetrics metrics) {
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.config = config;
        this.policy = RestartPolicy.of(config);
        this.clock = clock;
        this.executor = executor;
        this.scheduler = scheduler;
        this.random = random;
        this.metrics = metrics;
        this.starting = new Semaphore(config.maxConcurrentStarts());
    }

    /** Whether a restart of {@code id} has been claimed and its new instance is not started yet. */
    public boolean inProgress(WorkspaceId id) {
        return inFlight.containsKey(id);
    }

    /**
     * What follows the death of {@code dying}'s generation, decided from its stored restart state; the
     * caller writes a restart's state with the {@code offline} transition.
     */
    RestartDecision decide(Workspace dying) {
        Instant now = clock.instant();
        Workspace current = lifecycle
                .store()
                .find(dying.id())
                .filter(w -> w.generation() == dying.generation())
                .orElse(dying);
        return policy.afterDeath(
                current.restart(), RestartPolicy.onlineFor(current.onlineSince(), now), now, random.getAsDouble());
    }

    /**
     * Acts on a death recorded with {@code decision}: fails a crash loop at once, starts an immediate
     * restart at once, and wakes this server when a back-off ends.
     */
    void afterDeath(Workspace offline, RestartDecision decision) {
        switch (decision) {
            case RestartDecision.CrashLoop loop -> {
                log.info("{} {}", offline.id(), loop.reason());
                fail(offline, loop.reason());
            }
            case RestartDecision.Restart restart -> {
                Duration delay = Duration.between(clock.instant(), restart.at());
                log.info("{} restart #{} in {} ms", offline.id(), restart.attempt(), Math.max(0, delay.toMillis()));
                metrics.backedOff(restart.attempt(), delay.isNegative() ? Duration.ZERO : delay);
                Runnable attempt = () -> executor.execute(() -> restartAutomatically(offline.id(), true));
                if (delay.isPositive()) {
                    Future<?> _ = scheduler.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    attempt.run();
                }
            }
        }
    }

    /**
     * Restarts every offline workspace whose back-off has ended, whichever server decided it; called
     * periodically. Single-flight: the claim of the next generation is a compare-and-set.
     */
    public void restartDue() {
        for (Workspace w : lifecycle.store().restartsDue(clock.instant())) {
            if (!inFlight.containsKey(w.id())) {
                executor.execute(() -> restartAutomatically(w.id(), true));
            }
        }
    }

    /** Restarts an offline workspace that has no restart pending: one whose decision was lost with its server. */
    void restartStranded(WorkspaceId id) {
        executor.execute(() -> restartAutomatically(id, false));
    }

    /** Starts the first generation of a workspace created in {@code provisioning}. */
    public void provisionFirst(Workspace workspace) {
        if (inFlight.putIfAbsent(workspace.id(), Boolean.TRUE) != null) {
            return;
        }
        executor.execute(() -> {
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
            Workspace claimed = claim(current, from, RestartState.NONE)
                    .orElseThrow(() -> new ConflictException("workspace changed state during the restart; retry"));
            metrics.restarted(false);
            executor.execute(() -> {
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
        executor.execute(() -> {
            try {
                Optional<Workspace> current = lifecycle.store().find(id);
                if (current.isPresent() && current.get().status() == WorkspaceStatus.HIBERNATED) {
                    claim(current.get(), EnumSet.of(WorkspaceStatus.HIBERNATED), null)
                            .ifPresent(claimed -> replace(current.get(), claimed));
                }
            } catch (RuntimeException e) {
                log.error("waking {} failed", id, e);
            } finally {
                inFlight.remove(id);
            }
        });
    }

    private void restartAutomatically(WorkspaceId id, boolean onlyWhenDue) {
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return;
        }
        try {
            Optional<Workspace> current = lifecycle.store().find(id);
            if (current.isEmpty()
                    || current.get().status() != WorkspaceStatus.OFFLINE
                    || current.get().external()
                    || (onlyWhenDue && !due(current.get()))
                    || pausedAncestor(current.get()).isPresent()) {
                return;
            }
            Workspace dead = current.get();
            Optional<Workspace> claimed = claim(dead, EnumSet.of(WorkspaceStatus.OFFLINE), null);
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

    private boolean due(Workspace offline) {
        Instant at = offline.restart().nextRestartAt();
        return at != null && !at.isAfter(clock.instant());
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

    /** Claims the next generation; {@code restart} replaces the restart bookkeeping when given. */
    private Optional<Workspace> claim(
            Workspace current, java.util.Set<WorkspaceStatus> from, @Nullable RestartState restart) {
        Transition claim = Transition.to(
                        current.id(),
                        WorkspaceStatus.PROVISIONING,
                        new WorkspaceEvent.Provisioning(
                                current.id(), current.name(), current.tier(), current.runtime()),
                        clock.instant())
                .onlyFrom(from)
                .ifGeneration(current.generation())
                .withNewGeneration();
        return lifecycle.apply(restart == null ? claim : claim.withRestart(restart));
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
                        backends.host(),
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
