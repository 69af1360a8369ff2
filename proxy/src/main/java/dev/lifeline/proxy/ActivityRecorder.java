package dev.lifeline.proxy;

import dev.lifeline.core.Activity;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.PublishedEvent;
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
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit row of each proxied call ({@code a2a_receive} on the target) off the request
 * path, then broadcasts {@code ACTIVITY_LOGGED}, and {@code A2A_RESPONSE} for successful canvas calls.
 * One writer thread stores the rows in batches of what gathered in the last {@link #LINGER}, so
 * under load a commit (a disk write in the embedded database) serves hundreds of calls instead of
 * one; when the queue is full the caller waits rather than a row being lost. A server crash can
 * lose the rows of that last interval, never a workspace's state. A failure to log is logged; it
 * never changes the caller's answer.
 */
final class ActivityRecorder {
    private static final Logger log = LoggerFactory.getLogger(ActivityRecorder.class);
    private static final int MAX_STORED_BODY = 64 * 1024;

    private static final int QUEUE = 20_000;
    private static final int BATCH = 500;
    private static final Duration LINGER = Duration.ofMillis(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** A finished call, as the request thread hands it over. */
    private record Call(
            Workspace target,
            CallOptions options,
            Payloads.Request request,
            ProxyReply reply,
            Duration took,
            Duration held,
            Instant at) {}

    /** A call's row and the events that follow it once the row is stored. */
    private record Logged(Activity activity, List<WorkspaceEvent> events) {}

    private final WorkspaceStore store;
    private final EventBus bus;
    private final Clock clock;
    private final BlockingQueue<Call> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean stopping;

    ActivityRecorder(WorkspaceStore store, EventBus bus, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        this.writer = Thread.ofPlatform().daemon().name("a2a-activity-writer").start(this::writeUntilStopped);
    }

    /**
     * Writes the rows still queued and stops the writer. The writer is never interrupted: an
     * interrupt inside a database write can close the embedded database's file.
     */
    void close() {
        stopping = true;
        try {
            writer.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param held how long of {@code took} the call waited for the workspace's next incarnation */
    void record(
            Workspace target,
            CallOptions options,
            Payloads.Request request,
            ProxyReply reply,
            Duration took,
            Duration held) {
        try {
            queue.put(new Call(target, options, request, reply, took, held, clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("the A2A call to {} was not logged: interrupted while the log queue was full", target.id());
        }
    }

    /**
     * Hands the call's row over without waiting; false when the queue is full, and then the row is
     * not taken.
     */
    boolean offer(
            Workspace target,
            CallOptions options,
            Payloads.Request request,
            ProxyReply reply,
            Duration took,
            Duration held) {
        return queue.offer(new Call(target, options, request, reply, took, held, clock.instant()));
    }

    /**
     * Every {@link #LINGER} the writer takes what has gathered. It sleeps rather than waits on the
     * queue, so a call hands its row over without waking another thread.
     */
    private void writeUntilStopped() {
        List<Call> batch = new ArrayList<>(BATCH);
        while (!stopping || !queue.isEmpty()) {
            if (queue.drainTo(batch, BATCH) == 0) {
                LockSupport.parkNanos(LINGER.toNanos());
                continue;
            }
            write(batch.stream().map(ActivityRecorder::logged).toList());
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
        List<PublishedEvent> events = new ArrayList<>(2 * batch.size());
        for (Logged one : batch) {
            one.events().forEach(event -> events.add(new PublishedEvent(event, now)));
        }
        bus.publishAll(events); // one hand-over to each subscriber for the whole batch
    }

    /** Builds the row and events off the request path: decoding and checking bodies costs CPU. */
    private static Logged logged(Call call) {
        Workspace target = call.target();
        Payloads.Request request = call.request();
        ProxyReply reply = call.reply();
        Duration took = call.took();
        int status = status(reply);
        boolean ok = status < 400;
        String caller = call.options().source();
        String summary = (ok
                        ? request.method() + " → " + target.name()
                        : "A2A request to " + target.name() + " failed: HTTP " + status)
                + (call.held().isZero()
                        ? ""
                        : " (waited " + call.held().toMillis() + " ms for the agent to come back)");
        Activity activity = new Activity(
                target.id(),
                Activity.A2A_RECEIVE,
                caller,
                target.id(),
                request.method(),
                summary,
                stored(request.bytes()),
                reply instanceof ProxyReply.Relayed r ? storedAnswer(r) : null,
                took.toMillis(),
                ok ? Activity.OK : Activity.ERROR,
                reply instanceof ProxyReply.Refused r ? String.valueOf(r.body().get("error")) : null,
                call.at());
        List<WorkspaceEvent> events = new ArrayList<>(2);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("activity_type", activity.activityType());
        fields.put("method", request.method());
        fields.put("summary", summary);
        fields.put("status", activity.status());
        fields.put("source_id", caller == null ? "" : caller);
        fields.put("target_id", target.id().toString());
        fields.put("duration_ms", took.toMillis());
        if (!call.held().isZero()) {
            fields.put("held_ms", call.held().toMillis());
        }
        events.add(new WorkspaceEvent.ActivityLogged(target.id(), fields));
        if (caller == null && reply instanceof ProxyReply.Relayed r && ok) { // canvas calls only
            events.add(new WorkspaceEvent.A2aResponse(
                    target.id(),
                    encoding(r)
                            .map(e -> AnswerPreviews.whenAsked(encodedAnswer(e, r.body().length)))
                            .orElseGet(() -> AnswerPreviews.whenAsked(r.body())),
                    request.method(),
                    took.toMillis()));
        }
        return new Logged(activity, events);
    }

    /**
     * What the row keeps of an answer: its text, or, when the agent compressed it (the proxy never
     * decompresses), only its encoding and size, since its bytes read as text are noise.
     */
    private static @Nullable String storedAnswer(ProxyReply.Relayed reply) {
        return encoding(reply)
                .map(e -> new String(encodedAnswer(e, reply.body().length), StandardCharsets.UTF_8))
                .orElseGet(() -> stored(reply.body()));
    }

    private static Optional<String> encoding(ProxyReply.Relayed reply) {
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Encoding")
                    && !header.getValue().equalsIgnoreCase("identity")) {
                return Optional.of(header.getValue());
            }
        }
        return Optional.empty();
    }

    private static byte[] encodedAnswer(String encoding, int size) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("content_encoding", encoding);
        described.put("size", size);
        return PayloadJson.write(described).getBytes(StandardCharsets.UTF_8);
    }

    private static int status(ProxyReply reply) {
        return switch (reply) {
            case ProxyReply.Relayed r -> r.status();
            case ProxyReply.Streamed s -> s.status();
            case ProxyReply.Refused r -> r.status();
        };
    }

    /**
     * What the row keeps of a body: its text, cut to {@link #MAX_STORED_BODY} characters. Bodies pass
     * the proxy as they are, compressed or binary ones too; a NUL in them is kept as U+FFFD, since
     * PostgreSQL refuses NUL in text, and so would refuse the row.
     */
    private static @Nullable String stored(byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
        if (body.isEmpty()) {
            return null;
        }
        return body.length() <= MAX_STORED_BODY ? body : body.substring(0, MAX_STORED_BODY) + "…(truncated)";
    }
}
