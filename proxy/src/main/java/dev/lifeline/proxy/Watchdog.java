package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches one call and fires once when its deadline passes or its target stays silent for the idle
 * window. It holds no thread: each look is a task on the proxy's shared timer, which plans the next
 * look for when the call could first be cut off. Closing it before then cancels the planned look.
 */
final class Watchdog implements AutoCloseable {
    private final WorkspaceId target;
    private final CallLimits limits;
    private final ActivityClock activity;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Consumer<CallLimits.Cutoff> onCutoff;
    private final Instant start;
    private final AtomicReference<CallLimits.@Nullable Cutoff> fired = new AtomicReference<>();
    private final AtomicReference<@Nullable ScheduledFuture<?>> next = new AtomicReference<>();
    private volatile boolean closed;

    Watchdog(
            WorkspaceId target,
            CallLimits limits,
            ActivityClock activity,
            Clock clock,
            ScheduledExecutorService timer,
            Consumer<CallLimits.Cutoff> onCutoff) {
        this.target = target;
        this.limits = limits;
        this.activity = activity;
        this.clock = clock;
        this.timer = timer;
        this.onCutoff = onCutoff;
        this.start = clock.instant();
        look();
    }

    private void look() {
        if (closed) {
            return;
        }
        Instant last = activity.lastActivity(target, start);
        Optional<CallLimits.Cutoff> cutoff = limits.cutoff(clock.instant(), last);
        if (cutoff.isPresent()) {
            fired.set(cutoff.get());
            onCutoff.accept(cutoff.get());
            return;
        }
        long wait = Math.max(
                1, Duration.between(clock.instant(), limits.nextCheck(last)).toMillis());
        next.set(timer.schedule(this::look, wait, TimeUnit.MILLISECONDS));
        if (closed) {
            cancelNext();
        }
    }

    /** The cut-off that ended the call, if the watchdog ended it. */
    Optional<CallLimits.Cutoff> fired() {
        return Optional.ofNullable(fired.get());
    }

    @Override
    public void close() {
        closed = true;
        cancelNext();
    }

    private void cancelNext() {
        ScheduledFuture<?> planned = next.getAndSet(null);
        if (planned != null) {
            planned.cancel(false);
        }
    }
}
