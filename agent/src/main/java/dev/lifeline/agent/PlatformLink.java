package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Registers the agent with the platform, retrying with back-off until it is accepted, then
 * heartbeats at a fixed interval. Heartbeat failures are logged and retried at the next interval;
 * only a platform that keeps rejecting the registration (401, 403, 404) makes the agent give up.
 *
 * <p>All work runs on the one scheduler thread, so the counters need no lock.
 */
final class PlatformLink implements AutoCloseable {

    static final int MAX_REJECTIONS = 3;

    /** Who is registering: the workspace, the agent's URL and its card. */
    record Identity(String workspaceId, URI agentUrl, JsonNode card) {}

    private final PlatformClient client;
    private final ScheduledExecutorService scheduler;
    private final Identity identity;
    private final Duration heartbeatInterval;
    private final Backoff backoff;
    private final RequestStats stats;
    private final InstantSource clock;
    private final Instant startedAt;
    private final Json json;
    private final AgentLog log;
    private final Consumer<String> giveUp;
    private final Silence silence;

    private int attempts;
    private int rejections;
    private boolean heartbeatFailing;

    PlatformLink(
            PlatformClient client,
            ScheduledExecutorService scheduler,
            Identity identity,
            Duration heartbeatInterval,
            Backoff backoff,
            RequestStats stats,
            InstantSource clock,
            Json json,
            AgentLog log,
            Consumer<String> giveUp,
            Silence silence) {
        this.silence = silence;
        this.client = client;
        this.scheduler = scheduler;
        this.identity = identity;
        this.heartbeatInterval = heartbeatInterval;
        this.backoff = backoff;
        this.stats = stats;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.json = json;
        this.log = log;
        this.giveUp = giveUp;
    }

    void start() {
        schedule(this::register, Duration.ZERO);
    }

    private void register() {
        try {
            PlatformClient.Answer answer = client.register(registrationBody());
            if (answer.ok()) {
                onRegistered(answer);
                return;
            }
            if (isRejection(answer.status()) && ++rejections >= MAX_REJECTIONS) {
                log.info("registration rejected: platform answered HTTP " + answer.status() + " ("
                        + reason(answer.status()) + ") " + rejections + " times; giving up");
                giveUp.accept("registration rejected");
                return;
            }
            retry("registration answered HTTP " + answer.status() + " (" + reason(answer.status()) + ")");
        } catch (IOException | RuntimeException e) {
            retry("registration failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void retry(String why) {
        Duration delay = backoff.delay(attempts++);
        log.info(why + "; retrying in " + delay.toMillis() + " ms");
        schedule(this::register, delay);
    }

    private void onRegistered(PlatformClient.Answer answer) {
        log.info("registered workspace=" + identity.workspaceId() + " url=" + identity.agentUrl());
        if (client.adoptIssuedToken(answer)) {
            log.info("using the workspace token the platform issued");
        }
        long nanos = heartbeatInterval.toNanos();
        try {
            // heartbeat() catches everything, so the future never holds an exception worth reading
            var _ = scheduler.scheduleWithFixedDelay(this::heartbeat, nanos, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void heartbeat() {
        if (silence.silent()) {
            return;
        }
        try {
            PlatformClient.Answer answer = client.heartbeat(heartbeatBody());
            if (answer.ok()) {
                if (heartbeatFailing) {
                    log.info("heartbeat accepted again");
                }
                heartbeatFailing = false;
            } else {
                heartbeatFailed("platform answered HTTP " + answer.status());
            }
        } catch (IOException | RuntimeException e) {
            heartbeatFailed(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeatFailed(String why) {
        heartbeatFailing = true;
        log.info("heartbeat failed: " + why + "; next in " + heartbeatInterval.toMillis() + " ms");
    }

    private JsonNode registrationBody() {
        ObjectNode body = json.object()
                .put("id", identity.workspaceId())
                .put("url", identity.agentUrl().toString());
        body.set("agent_card", identity.card());
        return body;
    }

    private JsonNode heartbeatBody() {
        RequestStats.Snapshot snapshot = stats.snapshot();
        return json.object()
                .put("workspace_id", identity.workspaceId())
                .put("error_rate", snapshot.errorRate())
                .put("sample_error", snapshot.sampleError())
                .put("active_tasks", snapshot.activeTasks())
                .put(
                        "uptime_seconds",
                        Duration.between(startedAt, clock.instant()).toSeconds())
                .put("current_task", snapshot.currentTask());
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            var _ = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS); // task catches everything
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static boolean isRejection(int status) {
        return status == 401 || status == 403 || status == 404;
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> "workspace token missing or invalid";
            case 403 -> "forbidden";
            case 404 -> "unknown workspace";
            default -> status >= 500 ? "platform error" : "unexpected answer";
        };
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    @Override
    public void close() {
        client.close();
    }
}
