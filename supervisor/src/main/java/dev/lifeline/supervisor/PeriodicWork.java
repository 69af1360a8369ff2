package dev.lifeline.supervisor;

import dev.lifeline.core.LoopLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every periodic loop of a server, by name, and the one place they are started and stopped.
 *
 * <p>A fleet loop works on state every replica shares (the database, a shared Docker engine or
 * control plane), so it runs once per fleet: a round runs only on the replica that holds the loop's
 * {@link LoopLeases lease}; the others skip it, and take the loop over once its holder is gone. A
 * replica loop works on what only its own replica can reach (the processes it started on its host)
 * and runs on every replica. A round that throws is logged and counted; the loop goes on.
 */
public final class PeriodicWork {
    private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

    /** One named loop: its round, how often, where, and whether only the lease holder runs it. */
    public record Loop(String name, Duration period, Runnable round, LoopScheduler scheduler, boolean fleetWide) {
        public Loop {
            if (period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("the period of loop " + name + " must be positive, was " + period);
            }
        }
    }

    private final LoopScheduler scheduler;
    private final LoopLeases leases;
    private final SupervisorMetrics metrics;
    private final List<Loop> loops = new ArrayList<>();
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicLong failedRounds = new AtomicLong();

    public PeriodicWork(LoopScheduler scheduler, LoopLeases leases) {
        this(scheduler, leases, SupervisorMetrics.NONE);
    }

    /** Loops whose rounds, where this replica runs them, report their duration to {@code metrics}. */
    public PeriodicWork(LoopScheduler scheduler, LoopLeases leases, SupervisorMetrics metrics) {
        this.scheduler = scheduler;
        this.leases = leases;
        this.metrics = metrics;
    }

    /** Adds a loop that runs once per fleet, on the replica holding its lease. */
    public PeriodicWork fleet(String name, Duration period, Runnable round) {
        return fleet(name, period, round, scheduler);
    }

    /** Adds a fleet loop whose rounds run on {@code own}, so a long round delays no other loop. */
    public PeriodicWork fleet(String name, Duration period, Runnable round, LoopScheduler own) {
        return add(new Loop(name, period, round, own, true));
    }

    /** Adds a loop that runs on every replica, for what only this replica can reach. */
    public PeriodicWork replica(String name, Duration period, Runnable round) {
        return replica(name, period, round, scheduler);
    }

    /** Adds a replica loop whose rounds run on {@code own}, so a long round delays no other loop. */
    public PeriodicWork replica(String name, Duration period, Runnable round, LoopScheduler own) {
        return add(new Loop(name, period, round, own, false));
    }

    private PeriodicWork add(Loop loop) {
        if (loops.stream().anyMatch(l -> l.name().equals(loop.name()))) {
            throw new IllegalArgumentException("a loop named " + loop.name() + " is already registered");
        }
        loops.add(loop);
        return this;
    }

    public List<Loop> loops() {
        return List.copyOf(loops);
    }

    /** Starts every loop; each first runs one period from now. */
    public void start() {
        for (Loop loop : loops) {
            running.add(loop.scheduler().every(loop.period(), () -> round(loop)));
        }
    }

    /** Cancels every loop (a round under way finishes) and gives up the leases. */
    public void stop() {
        running.forEach(f -> f.cancel(false));
        running.clear();
        leases.close();
    }

    /** Rounds that threw since start, for tests and metrics. */
    public long failedRounds() {
        return failedRounds.get();
    }

    private void round(Loop loop) {
        long start = System.nanoTime();
        try {
            if (!loop.fleetWide() || leases.hold(loop.name())) {
                loop.round().run();
                metrics.loopRound(loop.name(), Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (RuntimeException e) {
            failedRounds.incrementAndGet();
            log.error("{} round failed; the next round runs as scheduled", loop.name(), e);
        }
    }
}
