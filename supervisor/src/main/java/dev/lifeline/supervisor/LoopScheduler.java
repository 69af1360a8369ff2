package dev.lifeline.supervisor;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a round at a fixed delay; injected so that tests drive the loops themselves. */
@FunctionalInterface
public interface LoopScheduler {

    /** Runs {@code round} one {@code period} from now, then one {@code period} after each round ends. */
    Future<?> every(Duration period, Runnable round);

    /** Rounds on {@code executor}'s threads. */
    static LoopScheduler on(ScheduledExecutorService executor) {
        return (period, round) ->
                executor.scheduleWithFixedDelay(round, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }
}
