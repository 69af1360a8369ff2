package dev.lifeline.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of A2A calls that found their agent busy. Every move is one guarded statement
 * (or one transaction) on the database, so any number of servers may drain one queue: a call is
 * claimed by one drainer at a time, and a claim whose drainer died runs out and is claimed again.
 */
public interface CallQueue {

    /** What enqueueing answered: the call's id, whether it was already queued, and the queue's depth. */
    record Enqueued(long id, boolean existing, int depth) {}

    /**
     * Queues {@code call}; a call with the same message id still active in that workspace's queue
     * is not queued twice, its id is answered instead.
     */
    Enqueued enqueue(NewQueuedCall call, Instant at);

    /**
     * Claims at most {@code limit} queued calls of {@code workspace}, highest priority then oldest
     * first, for {@code lease}; each claim counts an attempt. A call another drainer holds is skipped.
     */
    List<QueuedCall> claim(WorkspaceId workspace, int limit, Instant now, Duration lease);

    /** Puts a claimed call back in the queue with its reason (its attempt stays counted). */
    boolean requeue(long id, String reason, Instant at);

    /** Marks a claimed call delivered with the agent's answer. */
    boolean delivered(long id, int status, @Nullable String body, Instant at);

    /** Marks a queued or claimed call failed with its reason. */
    boolean fail(long id, String reason, Instant at);

    /** Puts back every claimed call whose lease ran out before {@code now} (its drainer died); answers how many. */
    int releaseExpiredClaims(Instant now);

    /** Fails queued calls with at least {@code maxAttempts} attempts or enqueued before {@code oldest}. */
    int expire(int maxAttempts, Instant oldest, Instant at);

    /** Drops queued calls enqueued before {@code cutoff}, of one workspace or all; answers how many. */
    int dropStale(Instant cutoff, @Nullable WorkspaceId workspace, Instant at);

    Optional<QueuedCall> find(WorkspaceId workspace, long id);

    /** The workspace's newest calls first, at most {@code limit}. */
    List<QueuedCall> list(WorkspaceId workspace, int limit);

    /** How many calls wait in each workspace's queue (workspaces with none are absent). */
    Map<WorkspaceId, Integer> depths();

    /** Deletes at most {@code limit} finished calls that finished before {@code cutoff}. */
    int deleteFinishedOlderThan(Instant cutoff, int limit);
}
