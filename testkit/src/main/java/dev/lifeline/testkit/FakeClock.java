package dev.lifeline.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test sets or advances it; safe to share between threads.
 * Copies made with {@link #withZone} share its time, so advancing one advances them all.
 */
public final class FakeClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@code start}, in UTC. */
    public FakeClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at an arbitrary fixed instant, for tests that only care about durations. */
    public static FakeClock atSomeInstant() {
        return new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public FakeClock withZone(ZoneId zone) {
        return new FakeClock(now, zone);
    }

    /** Moves the clock to {@code instant}, which may lie in the past (a wall clock stepped back). */
    public void set(Instant instant) {
        now.set(instant);
    }

    /** Moves the clock forward by {@code duration} and returns the new instant. */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("advance by a negative duration; use set() to go back");
        }
        return now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + ", " + zone + "]";
    }
}
