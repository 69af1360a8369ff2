package dev.lifeline.proxy;

import dev.lifeline.core.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One call's waits for its workspace's next incarnation. All of them share one {@link HoldBudget};
 * past it, or when the line of waiting calls is full, the caller gets the answer it would have had
 * at once, with a {@code Retry-After} of when the workspace is expected back. An answer to a call
 * that waited says for how long, in {@value #HELD_HEADER}.
 */
final class HeldCall {
    /** The response header with the milliseconds a call waited for its workspace. */
    static final String HELD_HEADER = "X-Lifeline-Held-Ms";

    /** What a wait came to. */
    sealed interface Outcome {
        /** Send the call to this row's agent. */
        record Send(Workspace row) implements Outcome {}

        /** Answer the caller with this. */
        record Answer(ProxyReply reply) implements Outcome {}
    }

    private final Holds holds;
    private final RestartTimes restartTimes;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final HoldBudget budget;
    private final CallerLine line;
    private boolean held;
    private long heldNanos;
    /** How the call's last try to wait ended; null while it never tried. */
    private @Nullable String ended;

    HeldCall(
            Holds holds,
            RestartTimes restartTimes,
            ProxyMetrics metrics,
            Clock clock,
            HoldBudget budget,
            CallerLine line) {
        this.holds = holds;
        this.restartTimes = restartTimes;
        this.metrics = metrics;
        this.clock = clock;
        this.budget = budget;
        this.line = line;
    }

    /** The answer a call gets at once when {@code w} is on its way back: restarting or waking. */
    static Optional<ProxyReply.Refused> whileComingBack(Workspace w) {
        return switch (w.status()) {
            case OFFLINE, PROVISIONING -> Optional.of(Outcomes.restarting());
            case HIBERNATED -> Optional.of(Outcomes.waking());
            case AWAITING_AGENT, ONLINE, DEGRADED, FAILED, PAUSED, REMOVED -> Optional.empty();
        };
    }

    /**
     * Waits for {@code w} to come online at {@code minGeneration} or later.
     *
     * @param cause why the call waits, for the metrics: {@code restarting}, {@code waking} or {@code refused}
     * @param atOnce the answer the caller gets when it does not wait
     */
    Outcome await(Workspace w, long minGeneration, String cause, ProxyReply.Refused atOnce) {
        Duration left = budget.left(clock.instant());
        if (left.isZero()) {
            if (ended != null) {
                ended = budget.bound().wire();
            }
            return new Outcome.Answer(expected(w, atOnce));
        }
        Optional<Holds.Hold> entered = holds.enter(w.id(), minGeneration);
        if (entered.isEmpty()) {
            ended = "capacity";
            return new Outcome.Answer(expected(w, atOnce));
        }
        if (!held) {
            held = true;
            metrics.held(cause);
        }
        long started = System.nanoTime();
        Holds.Release release;
        try (Holds.Hold hold = entered.get()) {
            release = hold.await(left, line);
        } finally {
            heldNanos += System.nanoTime() - started;
        }
        return switch (release) {
            case Holds.Release.Ready ready -> {
                ended = "forwarded";
                yield new Outcome.Send(ready.row());
            }
            case Holds.Release.Ended end -> {
                ended = end.state();
                yield new Outcome.Answer(end.answer());
            }
            case Holds.Release.TimedOut _ -> {
                ended = budget.bound().wire();
                yield new Outcome.Answer(expected(w, atOnce));
            }
            case Holds.Release.CallerGone _ -> {
                ended = "caller_gone";
                yield new Outcome.Answer(expected(w, atOnce));
            }
        };
    }

    /** How long the call waited in all. */
    Duration held() {
        return Duration.ofNanos(heldNanos);
    }

    /** The call's final answer, saying how long it waited if it did; counts how its waiting ended. */
    ProxyReply answer(ProxyReply reply) {
        if (ended != null) {
            metrics.holdEnded(ended, held());
        }
        return held ? withHeader(reply, HELD_HEADER, Long.toString(held().toMillis())) : reply;
    }

    /** {@code atOnce} with a {@code Retry-After} of when the workspace is expected back. */
    private ProxyReply.Refused expected(Workspace w, ProxyReply.Refused atOnce) {
        long seconds = restartTimes.retryAfterSeconds(w.id(), clock.instant());
        Map<String, Object> body = new LinkedHashMap<>(atOnce.body());
        body.computeIfPresent("retry_after", (key, old) -> seconds);
        return new ProxyReply.Refused(
                atOnce.status(), body, plus(atOnce.headers(), "Retry-After", Long.toString(seconds)));
    }

    private static ProxyReply withHeader(ProxyReply reply, String name, String value) {
        return switch (reply) {
            case ProxyReply.Relayed r ->
                new ProxyReply.Relayed(r.status(), r.contentType(), r.body(), plus(r.headers(), name, value));
            case ProxyReply.Streamed s ->
                new ProxyReply.Streamed(s.status(), s.relay(), plus(s.headers(), name, value));
            case ProxyReply.Refused r -> new ProxyReply.Refused(r.status(), r.body(), plus(r.headers(), name, value));
        };
    }

    private static Map<String, String> plus(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
