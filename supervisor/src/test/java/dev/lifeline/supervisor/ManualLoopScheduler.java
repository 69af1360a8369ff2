package dev.lifeline.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** A scheduler on a clock of its own that moves only when a test advances it; rounds run on the test's thread. */
final class ManualLoopScheduler implements LoopScheduler {
    private final List<Entry> entries = new ArrayList<>();
    private Duration now = Duration.ZERO;

    private static final class Entry {
        final Duration period;
        final Runnable round;
        final CompletableFuture<Void> handle = new CompletableFuture<>();
        Duration next;

        Entry(Duration period, Runnable round, Duration next) {
            this.period = period;
            this.round = round;
            this.next = next;
        }
    }

    @Override
    public Future<?> every(Duration period, Runnable round) {
        Entry entry = new Entry(period, round, now.plus(period));
        entries.add(entry);
        return entry.handle;
    }

    /** Moves time on by {@code by}, running every round that falls due on the way, in time order. */
    void advance(Duration by) {
        Duration until = now.plus(by);
        while (true) {
            Entry due = entries.stream()
                    .filter(e -> !e.handle.isCancelled() && e.next.compareTo(until) <= 0)
                    .min(Comparator.comparing(e -> e.next))
                    .orElse(null);
            if (due == null) {
                break;
            }
            now = due.next;
            due.round.run();
            due.next = now.plus(due.period);
        }
        now = until;
    }

    /** How many loops are scheduled and not cancelled. */
    long active() {
        return entries.stream().filter(e -> !e.handle.isCancelled()).count();
    }
}
