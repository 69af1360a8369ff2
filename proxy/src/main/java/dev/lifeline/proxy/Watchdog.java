package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches one call on a virtual thread and fires once when its deadline passes or its target stays
 * silent for the idle window. Closing it before then stops the watch.
 */
final class Watchdog implements AutoCloseable {
    private final Thread thread;
    private final AtomicReference<CallLimits.@Nullable Cutoff> fired = new AtomicReference<>();
    private volatile boolean closed;

    Watchdog(
            WorkspaceId target,
            CallLimits limits,
            ActivityClock activity,
            Clock clock,
            Consumer<CallLimits.Cutoff> onCutoff) {
        Instant start = clock.instant();
        this.thread = Thread.ofVirtual().name("a2a-watchdog").start(() -> {
            while (!closed) {
                Instant last = activity.lastActivity(target, start);
                Optional<CallLimits.Cutoff> cutoff = limits.cutoff(clock.instant(), last);
                if (cutoff.isPresent()) {
                    fired.set(cutoff.get());
                    onCutoff.accept(cutoff.get());
                    return;
                }
                Duration wait = Duration.between(clock.instant(), limits.nextCheck(last));
                try {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The cut-off that ended the call, if the watchdog ended it. */
    Optional<CallLimits.Cutoff> fired() {
        return Optional.ofNullable(fired.get());
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
