package dev.lifeline.proxy;

import dev.lifeline.core.Activity;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.RawJson;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit row of each proxied call ({@code a2a_receive} on the target) off the request
 * path, then broadcasts {@code ACTIVITY_LOGGED}, and {@code A2A_RESPONSE} for successful canvas calls.
 * One writer thread stores the rows in batches of whatever has queued up meanwhile, so under load a
 * row costs a fraction of a statement; when the queue is full the caller waits rather than a row
 * being lost. A failure to log is logged; it never changes the caller's answer.
 */
final class ActivityRecorder {
    private static final Logger log = LoggerFactory.getLogger(ActivityRecorder.class);
    private static final int MAX_STORED_BODY = 64 * 1024;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static final int QUEUE = 20_000;
    private static final int BATCH = 500;

    /** A call's row and the events that follow it once the row is stored. */
    private record Logged(Activity activity, List<WorkspaceEvent> events) {}

    private final WorkspaceStore store;
    private final EventBus bus;
    private final Clock clock;
    private final BlockingQueue<Logged> queue = new ArrayBlockingQueue<>(QUEUE);

    ActivityRecorder(WorkspaceStore store, EventBus bus, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        Thread.ofPlatform().daemon().name("a2a-activity-writer").start(this::writeForever);
    }

    void record(Workspace target, CallOptions options, Payloads.Request request, ProxyReply reply, Duration took) {
        try {
            queue.put(logged(target, options, request, reply, took));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("the A2A call to {} was not logged: interrupted while the log queue was full", target.id());
        }
    }

    private void writeForever() {
        List<Logged> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Logged> batch) {
        try {
            store.recordActivities(batch.stream().map(Logged::activity).toList());
        } catch (RuntimeException e) {
            // One bad row (its workspace deleted meanwhile) must not cost the others theirs.
            for (Logged one : batch) {
                try {
                    store.recordActivity(one.activity());
                } catch (RuntimeException again) {
                    log.warn("could not log the A2A call to {}", one.activity().workspaceId(), again);
                }
            }
        }
        Instant now = clock.instant();
        for (Logged one : batch) {
            one.events().forEach(event -> bus.publish(new PublishedEvent(event, now)));
        }
    }

    private Logged logged(
            Workspace target, CallOptions options, Payloads.Request request, ProxyReply reply, Duration took) {
        int status = status(reply);
        boolean ok = status < 400;
        String caller = options.source();
        String summary = ok
                ? request.method() + " → " + target.name()
                : "A2A request to " + target.name() + " failed: HTTP " + status;
        Activity activity = new Activity(
                target.id(),
                Activity.A2A_RECEIVE,
                caller,
                target.id(),
                request.method(),
                summary,
                clip(new String(request.bytes(), StandardCharsets.UTF_8)),
                reply instanceof ProxyReply.Relayed r ? clip(new String(r.body(), StandardCharsets.UTF_8)) : null,
                took.toMillis(),
                ok ? Activity.OK : Activity.ERROR,
                reply instanceof ProxyReply.Refused r ? String.valueOf(r.body().get("error")) : null,
                clock.instant());
        List<WorkspaceEvent> events = new ArrayList<>(2);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("activity_type", activity.activityType());
        fields.put("method", request.method());
        fields.put("summary", summary);
        fields.put("status", activity.status());
        fields.put("source_id", caller == null ? "" : caller);
        fields.put("target_id", target.id().toString());
        fields.put("duration_ms", took.toMillis());
        events.add(new WorkspaceEvent.ActivityLogged(target.id(), fields));
        if (caller == null
                && reply instanceof ProxyReply.Relayed r
                && ok
                && looksLikeJson(r.body())) { // canvas calls only
            events.add(new WorkspaceEvent.A2aResponse(
                    target.id(),
                    new RawJson(new String(r.body(), StandardCharsets.UTF_8)),
                    request.method(),
                    took.toMillis()));
        }
        return new Logged(activity, events);
    }

    private static int status(ProxyReply reply) {
        return switch (reply) {
            case ProxyReply.Relayed r -> r.status();
            case ProxyReply.Streamed s -> s.status();
            case ProxyReply.Refused r -> r.status();
        };
    }

    private static @Nullable String clip(String body) {
        if (body.isEmpty()) {
            return null;
        }
        return body.length() <= MAX_STORED_BODY ? body : body.substring(0, MAX_STORED_BODY) + "…(truncated)";
    }

    private static boolean looksLikeJson(byte[] body) {
        try {
            return JSON.readTree(body) instanceof com.fasterxml.jackson.databind.node.ObjectNode;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
