package dev.lifeline.proxy;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The proxy's reactive health layer. An agent that is being killed closes its connections a moment
 * before the backend can see it gone, so when a dropped connection meets a first {@code RUNNING}
 * answer the check asks once more after a short settle time. Timeouts are not asked twice: a slow
 * agent is busy, not dying.
 *
 * <p>Checks are single-flight: calls that fail together on one generation of a workspace wait for
 * the one check already under way and share its verdict, so a burst of failures costs the backend
 * one probe, not one per call. A failure after that check ended starts a new one.
 */
final class ReactiveCheck {
    /** What one shared check is about; a check that settles is not shared with one that does not. */
    private record Flight(WorkspaceId id, long generation, Evidence evidence, boolean settles) {}

    private final HealthCheck health;
    private final Duration settle;
    private final Map<Flight, CompletableFuture<Verdict>> flights = new ConcurrentHashMap<>();

    ReactiveCheck(HealthCheck health, Duration settle) {
        this.health = health;
        this.settle = settle;
    }

    /** A call to the agent failed below HTTP. */
    Verdict suspect(Workspace workspace, IOException failure) {
        boolean settles = !(failure instanceof HttpTimeoutException);
        Flight flight = new Flight(workspace.id(), workspace.generation(), Evidence.REACTIVE_TRANSPORT, settles);
        return shared(flight, () -> transportCheck(workspace, settles));
    }

    /** The agent answered 502, 503 or 504. */
    Verdict suspectUpstream(Workspace workspace) {
        Flight flight = new Flight(workspace.id(), workspace.generation(), Evidence.REACTIVE_UPSTREAM, false);
        return shared(flight, () -> health.suspect(workspace, Evidence.REACTIVE_UPSTREAM));
    }

    private Verdict shared(Flight flight, Supplier<Verdict> check) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> running = flights.putIfAbsent(flight, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Verdict verdict = check.get();
            mine.complete(verdict);
            return verdict;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(flight, mine);
        }
    }

    private Verdict transportCheck(Workspace workspace, boolean settles) {
        Verdict first = health.suspect(workspace, Evidence.REACTIVE_TRANSPORT);
        if (first != Verdict.ALIVE || !settles) {
            return first;
        }
        try {
            Thread.sleep(settle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return first;
        }
        return health.suspect(workspace, Evidence.REACTIVE_TRANSPORT);
    }
}
