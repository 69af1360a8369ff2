package dev.lifeline.server;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.proxy.ProxyMetrics;
import dev.lifeline.supervisor.SupervisorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Micrometer meters for the supervisor and the proxy, scraped at {@code /metrics}. */
final class Metrics implements SupervisorMetrics, ProxyMetrics {
    private static final String SUBSCRIBERS_DROPPED = "lifeline.event.subscribers.dropped";
    /** Buckets of the waits for a workspace's next incarnation, from a quick restart to the hold window. */
    private static final Duration[] HOLD_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final java.util.Map<WorkspaceStatus, java.util.concurrent.atomic.AtomicLong> byStatus =
            new java.util.EnumMap<>(WorkspaceStatus.class);

    private final java.util.Map<WorkspaceId, java.util.concurrent.atomic.AtomicLong> queueDepth =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The calls' timer by outcome, a handful of fixed names, looked up once: finding a meter by name
     * and tags costs more than recording into it, and every proxied call records one.
     */
    private final java.util.Map<String, io.micrometer.core.instrument.Timer> answered =
            new java.util.concurrent.ConcurrentHashMap<>();

    Metrics() {
        for (WorkspaceStatus s : WorkspaceStatus.values()) {
            java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
            byStatus.put(s, count);
            registry.gauge(
                    "lifeline.workspaces",
                    java.util.List.of(io.micrometer.core.instrument.Tag.of("status", s.wire())),
                    count);
        }
        for (String stream : new String[] {"ws", "sse"}) {
            registry.counter(SUBSCRIBERS_DROPPED, "stream", stream);
        }
    }

    /** The Prometheus text, with the workspace counts taken from {@code workspaces} just before. */
    String scrape(java.util.List<Workspace> workspaces) {
        return scrape(workspaces, java.util.Map.of());
    }

    /**
     * The Prometheus text, with the workspace counts and each workspace's busy-queue depth ({@code
     * lifeline_a2a_queue_depth{workspace_id}}) taken just before; a queue that emptied reads 0.
     */
    String scrape(java.util.List<Workspace> workspaces, java.util.Map<WorkspaceId, Integer> queueDepths) {
        java.util.Map<WorkspaceStatus, Long> counts = new java.util.EnumMap<>(WorkspaceStatus.class);
        for (Workspace w : workspaces) {
            counts.merge(w.status(), 1L, Long::sum);
        }
        byStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
        queueDepth.forEach((id, gauge) -> gauge.set(queueDepths.getOrDefault(id, 0)));
        queueDepths.forEach((id, depth) -> queueDepth
                .computeIfAbsent(
                        id,
                        k -> registry.gauge(
                                "lifeline.a2a.queue.depth",
                                java.util.List.of(io.micrometer.core.instrument.Tag.of("workspace_id", k.toString())),
                                new java.util.concurrent.atomic.AtomicLong()))
                .set(depth));
        return registry.scrape();
    }

    /** An event subscriber of {@code stream} ({@code ws} or {@code sse}) fell too far behind and was cut off. */
    void subscriberDropped(String stream) {
        registry.counter(SUBSCRIBERS_DROPPED, "stream", stream).increment();
    }

    @Override
    public void probed(String backend, Evidence evidence, Liveness answer) {
        String result =
                switch (answer) {
                    case Liveness.Running r -> "running";
                    case Liveness.Stopped s -> "stopped";
                    case Liveness.Unknown u -> "unknown";
                };
        registry.counter("lifeline.probes", "backend", backend, "layer", evidence.wire(), "answer", result)
                .increment();
    }

    @Override
    public void detected(Evidence layer, Workspace workspace, Duration sinceLastSign) {
        registry.counter("lifeline.deaths.detected", "layer", layer.wire(), "backend", workspace.backend())
                .increment();
        registry.timer("lifeline.deaths.detection", "layer", layer.wire()).record(sinceLastSign);
    }

    @Override
    public void loopRound(String loop, Duration took) {
        registry.timer("lifeline.loop.round", "loop", loop).record(took);
    }

    @Override
    public void backedOff(int attempt, Duration delay) {
        registry.summary("lifeline.restarts.attempt").record(attempt);
        registry.timer("lifeline.restarts.backoff").record(delay);
    }

    @Override
    public void restarted(boolean automatic) {
        registry.counter("lifeline.restarts", "cause", automatic ? "automatic" : "manual")
                .increment();
    }

    @Override
    public void answered(String outcome, Duration took) {
        answered.computeIfAbsent(outcome, o -> registry.timer("lifeline.a2a.requests", "outcome", o))
                .record(took);
    }

    @Override
    public void held(String cause) {
        registry.counter("lifeline.a2a.holds", "cause", cause).increment();
    }

    @Override
    public void holdEnded(String result, Duration waited) {
        io.micrometer.core.instrument.Timer.builder("lifeline.a2a.hold.wait")
                .tag("result", result)
                .serviceLevelObjectives(HOLD_BUCKETS)
                .register(registry)
                .record(waited);
    }
}
