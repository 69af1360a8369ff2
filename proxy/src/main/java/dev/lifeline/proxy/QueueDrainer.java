package dev.lifeline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.core.CallQueue;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the calls of the busy queue when their agent has room: at once when a heartbeat reports
 * spare capacity, when one of its deliveries ends, and every {@link QueueConfig#drainEvery} (which
 * also puts back the calls of a drainer that died and fails those too old or tried too often). A
 * round claims, highest priority then oldest first, as many calls as the agent has room for, and
 * sends each on a virtual thread of its own through the proxy, so the answer is logged, and a canvas
 * call's answer broadcast, like any call's. An agent still busy gets the call back in the queue with
 * its attempt counted; a delegation answered is announced to its caller with {@code
 * DELEGATION_COMPLETE}. A delivery cut off by a crash is delivered again, with the same message id.
 */
public final class QueueDrainer {
    private static final Logger log = LoggerFactory.getLogger(QueueDrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_STORED_REPLY = 64 * 1024;

    private final CallQueue queue;
    private final A2aProxy proxy;
    private final AgentLoad load;
    private final Lifecycle lifecycle;
    private final QueueConfig config;
    private final Clock clock;
    /** Runs the drains a heartbeat starts and each delivery, apart from the caller's thread. */
    private final Executor work;
    /** Room is read and calls claimed under it, so two rounds of one server never both fill one room. */
    private final ReentrantLock claiming = new ReentrantLock();

    public QueueDrainer(
            CallQueue queue,
            A2aProxy proxy,
            AgentLoad load,
            Lifecycle lifecycle,
            QueueConfig config,
            Clock clock,
            Executor work) {
        this.work = work;
        this.queue = queue;
        this.proxy = proxy;
        this.load = load;
        this.lifecycle = lifecycle;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A heartbeat's report of the agent's load; room in it starts a round for its queue, if calls may
     * wait there (queued or put back on this server, or seen by the last periodic round).
     */
    public void heartbeat(WorkspaceId id, int activeTasks, @Nullable Integer capacity, boolean nativeSession) {
        load.reported(id, activeTasks, capacity, nativeSession);
        if (load.room(id) > 0 && load.mayHaveCallsWaiting(id)) {
            work.execute(() -> drainQuietly(id));
        }
    }

    /** The periodic round: claims of dead drainers back, stale calls failed, every queue drained. */
    public void round() {
        Instant now = clock.instant();
        int released = queue.releaseExpiredClaims(now);
        int expired = queue.expire(config.maxAttempts(), now.minus(config.maxAge()), now);
        if (released + expired > 0) {
            log.info("busy queue: {} cut-off deliveries queued again, {} calls failed as expired", released, expired);
        }
        queue.depths().keySet().forEach(id -> {
            load.callsWaiting(id);
            drainQuietly(id);
        });
    }

    /** Claims as many of the workspace's calls as its agent has room for and starts their deliveries. */
    public int drain(WorkspaceId id) {
        Optional<Workspace> target = lifecycle.store().find(id);
        if (target.isEmpty() || !target.get().status().routable()) {
            return 0;
        }
        List<QueuedCall> claimed;
        claiming.lock();
        try {
            int room = load.room(id);
            if (room > 0) {
                load.claiming(id);
            }
            claimed = room == 0 ? List.of() : queue.claim(id, room, clock.instant(), config.lease());
            if (room > 0 && claimed.size() == room) {
                load.callsWaiting(id); // there may be more than there was room for
            }
            claimed.forEach(c -> load.began(id));
        } finally {
            claiming.unlock();
        }
        claimed.forEach(c -> work.execute(() -> deliver(c)));
        return claimed.size();
    }

    private void drainQuietly(WorkspaceId id) {
        try {
            drain(id);
        } catch (RuntimeException e) {
            log.warn("draining the busy queue of {} failed; the next round retries", id, e);
        }
    }

    private void deliver(QueuedCall call) {
        boolean delivered = false;
        try {
            ProxyReply reply = proxy.deliverQueued(call.workspaceId(), call.body(), call.headers(), options(call));
            delivered = settle(call, reply);
        } catch (RuntimeException e) {
            log.warn("delivering queued call {} to {} failed", call.id(), call.workspaceId(), e);
            again(call, "delivery failed inside Lifeline");
        } finally {
            load.ended(call.workspaceId());
        }
        if (delivered) {
            drainQuietly(call.workspaceId()); // its room is free: the next call need not wait for a round
        }
    }

    /** Records what the delivery came to; true when the agent took the call. */
    private boolean settle(QueuedCall call, ProxyReply reply) {
        Instant now = clock.instant();
        return switch (reply) {
            case ProxyReply.Relayed r
            when r.status() == 429 || r.status() == 503 -> {
                load.sawBusy(call.workspaceId());
                again(call, "agent answered " + r.status());
                yield false;
            }
            case ProxyReply.Relayed r -> answered(call, r.status(), new String(r.body(), StandardCharsets.UTF_8), now);
            case ProxyReply.Streamed s -> answered(call, s.status(), streamed(s), now);
            case ProxyReply.Refused r
            when r.status() >= 500 -> {
                again(call, String.valueOf(r.body().get("error")));
                yield false;
            }
            case ProxyReply.Refused r -> {
                queue.fail(call.id(), "HTTP " + r.status() + ": " + r.body().get("error"), now);
                yield false;
            }
        };
    }

    /** Back to the queue, or failed once it used its attempts. */
    private void again(QueuedCall call, String reason) {
        Instant now = clock.instant();
        if (call.attempts() >= config.maxAttempts()) {
            queue.fail(call.id(), "not delivered after " + call.attempts() + " attempts: " + reason, now);
        } else {
            queue.requeue(call.id(), reason, now);
            load.callsWaiting(call.workspaceId());
        }
    }

    /** Stores the agent's answer and announces a delegation's; true (the agent took the call). */
    private boolean answered(QueuedCall call, int status, String reply, Instant now) {
        String stored = reply.length() <= MAX_STORED_REPLY ? reply : reply.substring(0, MAX_STORED_REPLY);
        String caller = call.caller();
        if (!queue.delivered(call.id(), status, stored, now) || caller == null || CallOptions.isSystemId(caller)) {
            return true;
        }
        delegationId(call.body())
                .ifPresent(delegation -> lifecycle.announce(
                        new WorkspaceEvent.DelegationComplete(
                                WorkspaceId.parse(caller), delegation, call.workspaceId(), reply, "queue_drain"),
                        now));
        return true;
    }

    private static String streamed(ProxyReply.Streamed s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var _ = s.relay().relay(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** As the call was made: from its workspace, from Lifeline, or from the canvas; never held for a restart. */
    private CallOptions options(QueuedCall call) {
        long seconds = Math.max(1, config.deliveryDeadline().toSeconds());
        String caller = call.caller();
        CallOptions options = caller == null
                ? CallOptions.from(null, seconds)
                : CallOptions.isSystemId(caller)
                        ? CallOptions.system(caller, seconds)
                        : CallOptions.from(WorkspaceId.parse(caller), seconds);
        return options.withPreferredWait(Duration.ZERO);
    }

    /** {@code params.message.metadata.delegation_id}, when the call is a delegation. */
    static Optional<String> delegationId(byte[] body) {
        try {
            JsonNode id = JSON.readTree(body)
                    .path("params")
                    .path("message")
                    .path("metadata")
                    .path("delegation_id");
            return id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }
}
