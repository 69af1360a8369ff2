package dev.lifeline.proxy;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls that wait for their workspace's next incarnation, and what releases them.
 *
 * <p>The release is the workspace's transition as the event stream shows it (one subscription,
 * dispatched to the waiters by workspace id), not a callback from whoever restarted it, so a call
 * waiting on one replica is released by a restart that another replica made. A release reads the
 * row again and decides from it alone ({@link Release#of}). Events can be lost (each subscriber's
 * buffer is bounded), so the rows of the workspaces with waiters are also read every {@link
 * #RECHECK}, and a waiter reads its row once right after it joins the line, which closes the gap
 * between the caller's first read and its joining. A waiter holds no thread of its own: it is a
 * future that its call's thread (a virtual one) blocks on.
 */
final class Holds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Holds.class);
    /** How often the rows of workspaces with waiters are read again, in case an event was lost. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    /** How a wait ended. */
    sealed interface Release {
        /** The workspace is online: the call goes to {@code row}. */
        record Ready(Workspace row) implements Release {}

        /** The workspace turned failed, paused or removed: {@code answer} is what that state gets. */
        record Ended(ProxyReply.Refused answer, String state) implements Release {}

        /** The call's wait ran out. */
        record TimedOut() implements Release {}

        /** The caller hung up, or its thread was interrupted. */
        record CallerGone() implements Release {}

        /**
         * What {@code row} means for a waiter that needs at least {@code minGeneration}: empty
         * while the workspace is still on its way back.
         */
        static Optional<Release> of(Optional<Workspace> row, long minGeneration) {
            if (row.isEmpty()) {
                return Optional.of(removed());
            }
            Workspace w = row.get();
            return switch (w.status()) {
                case ONLINE, DEGRADED ->
                    w.endpoint().isPresent() && w.generation() >= minGeneration
                            ? Optional.of(new Ready(w))
                            : Optional.empty();
                case FAILED, PAUSED ->
                    Outcomes.unavailable(w)
                            .<Release>map(answer -> new Ended(answer, w.status().wire()));
                case REMOVED -> Optional.of(removed());
                case PROVISIONING, AWAITING_AGENT, OFFLINE, HIBERNATED -> Optional.empty();
            };
        }

        private static Release removed() {
            return new Ended(ProxyReply.Refused.of(404, Map.of("error", "workspace not found")), "removed");
        }
    }

    /** One waiting call; closing it leaves the line. */
    final class Hold implements AutoCloseable {
        private final WorkspaceId id;
        private final long minGeneration;
        private final CompletableFuture<Release> released = new CompletableFuture<>();

        private Hold(WorkspaceId id, long minGeneration) {
            this.id = id;
            this.minGeneration = minGeneration;
        }

        /** Waits at most {@code longest} for the workspace, or until the caller hangs up. */
        Release await(Duration longest, CallerLine line) {
            settle(rows.find(id));
            var _ = line.hungUp().thenRun(() -> released.complete(new Release.CallerGone()));
            try {
                return released.get(longest.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new Release.TimedOut();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Release.CallerGone();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a hold is only ever released normally", e);
            }
        }

        private void settle(Optional<Workspace> row) {
            Release.of(row, minGeneration).ifPresent(released::complete);
        }

        @Override
        public void close() {
            leave(this);
        }
    }

    private final TargetCache rows;
    private final HoldConfig config;
    private final Map<WorkspaceId, Set<Hold>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final EventBus.Subscription subscription;
    private final ScheduledFuture<?> recheck;

    Holds(EventBus bus, TargetCache rows, HoldConfig config, ScheduledExecutorService timer) {
        this.rows = rows;
        this.config = config;
        this.subscription = bus.subscribe(published -> mayEndAWait(published.event()), this::seen);
        this.recheck = timer.scheduleWithFixedDelay(
                () -> {
                    if (!waiting.isEmpty()) {
                        Thread.ofVirtual().name("a2a-hold-recheck").start(this::recheckAll);
                    }
                },
                RECHECK.toMillis(),
                RECHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Lines a call up to wait for {@code id} to come online at {@code minGeneration} or later;
     * empty when the workspace's line or the server's is full.
     */
    Optional<Hold> enter(WorkspaceId id, long minGeneration) {
        if (total.incrementAndGet() > config.total()) {
            total.decrementAndGet();
            return Optional.empty();
        }
        Hold hold = new Hold(id, minGeneration);
        AtomicBoolean admitted = new AtomicBoolean();
        waiting.compute(id, (key, line) -> {
            Set<Hold> joined = line == null ? ConcurrentHashMap.newKeySet() : line;
            if (joined.size() < config.perWorkspace()) {
                admitted.set(joined.add(hold));
            }
            return joined;
        });
        if (!admitted.get()) {
            total.decrementAndGet();
            return Optional.empty();
        }
        return Optional.of(hold);
    }

    /** How many calls wait right now; for tests and metrics. */
    int waiting() {
        return total.get();
    }

    /** Stops listening and lets every waiting call go, as if its wait had run out. */
    @Override
    public void close() {
        subscription.close();
        recheck.cancel(false);
        waiting.values().forEach(line -> line.forEach(hold -> hold.released.complete(new Release.TimedOut())));
    }

    private void leave(Hold hold) {
        waiting.computeIfPresent(hold.id, (key, line) -> {
            line.remove(hold);
            return line.isEmpty() ? null : line;
        });
        total.decrementAndGet();
    }

    private void seen(PublishedEvent published) {
        WorkspaceEvent event = published.event();
        if (waiting.containsKey(event.workspaceId()) && mayEndAWait(event)) {
            rows.forget(event.workspaceId()); // the row changed, wherever it was written
            settle(event.workspaceId());
        }
    }

    /** The transitions after which a waiting call is sent or answered. */
    private static boolean mayEndAWait(WorkspaceEvent event) {
        return switch (event) {
            case WorkspaceEvent.Online _,
                    WorkspaceEvent.ProvisionFailed _,
                    WorkspaceEvent.Paused _,
                    WorkspaceEvent.Removed _,
                    WorkspaceEvent.RemovedCascade _ -> true;
            // another replica's event: whether it ends a wait, the row read after it says
            case WorkspaceEvent.Relayed _ -> true;
            case WorkspaceEvent.Provisioning _,
                    WorkspaceEvent.Offline _,
                    WorkspaceEvent.Degraded _,
                    WorkspaceEvent.Heartbeat _,
                    WorkspaceEvent.AwaitingAgent _,
                    WorkspaceEvent.Hibernated _,
                    WorkspaceEvent.ActivityLogged _,
                    WorkspaceEvent.A2aResponse _,
                    WorkspaceEvent.TaskUpdated _,
                    WorkspaceEvent.AgentCardUpdated _,
                    WorkspaceEvent.DelegationComplete _ -> false;
        };
    }

    private void settle(WorkspaceId id) {
        Set<Hold> line = waiting.get(id);
        if (line != null) {
            Optional<Workspace> row = rows.find(id);
            line.forEach(hold -> hold.settle(row));
        }
    }

    private void recheckAll() {
        for (WorkspaceId id : waiting.keySet()) {
            try {
                settle(id);
            } catch (RuntimeException e) {
                log.warn("reading {} for its waiting calls failed; the next round retries", id, e);
            }
        }
    }
}
