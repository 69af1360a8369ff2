package dev.lifeline.proxy;

import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's side of the common call served without blocking, by a transport of the server's own
 * on its event loop. {@link #admit} takes a call only when nothing slow or unusual is needed, from
 * memory alone (cached rows, the heartbeat load); every other call goes the blocking way of {@link
 * A2aProxy#forward}. The transport then sends the call and reports how it ended: an answer judged
 * by status goes to {@link #settle}, a failure after the request was written or a cut-off to {@link
 * #failed}, both blocking, so they run off the event loop; {@link #finish} logs every answered call.
 * The judging is {@link A2aProxy}'s own ({@link Settlement}), so both ways answer alike.
 */
public final class FastLane {
    /** JSON-RPC methods answered with an event stream, in the v0.3 and the v1.0 names. */
    private static final Set<String> STREAMING =
            Set.of("message/stream", "tasks/resubscribe", "SendStreamingMessage", "SubscribeToTask");

    /** A call the lane took, ready to send to its agent. */
    public static final class Call {
        private final Workspace target;
        private final CallOptions options;
        private final Payloads.Request request;
        private final Map<String, String> callerHeaders;
        private final Map<String, String> sent;
        private final CallLimits limits;
        private final Instant start;
        private final long startedNanos;
        private final ActivityClock activity;
        private final Clock clock;
        private CallLimits.@Nullable Cutoff cut;

        private Call(
                FastLane lane,
                Workspace target,
                CallOptions options,
                Payloads.Request request,
                Map<String, String> headers) {
            this.target = target;
            this.options = options;
            this.request = request;
            this.callerHeaders = headers;
            this.sent = sentHeaders(request, headers);
            this.clock = lane.clock;
            this.activity = lane.activity;
            this.start = clock.instant();
            this.startedNanos = System.nanoTime();
            this.limits = CallLimits.of(
                    start,
                    options.timeoutSeconds(),
                    options.fromAgentOrSystem(),
                    lane.config.agentCallCeiling(),
                    lane.idleOverrides.idleFor(target.id(), lane.config.idleTimeout()));
        }

        /** The agent's URL. */
        public String endpoint() {
            return target.endpoint().orElseThrow();
        }

        /** The bytes to send. */
        public byte[] body() {
            return request.bytes();
        }

        /** Whether {@link #body()} holds the caller's bytes as they came. */
        public boolean callersBytes() {
            return !request.rewritten();
        }

        /** The headers to send, besides {@code Host} and the framing. */
        public Map<String, String> headers() {
            return sent;
        }

        /**
         * The failure the call ends with when its deadline passed or its target stayed silent for
         * the idle window, judged now; empty while it may go on.
         */
        public Optional<IOException> cutoff() {
            Optional<CallLimits.Cutoff> now = limits.cutoff(clock.instant(), activity.lastActivity(target.id(), start));
            now.ifPresent(c -> cut = c);
            return now.map(Settlement::cutoff);
        }

        /** How long from now until {@link #cutoff()} could first apply, at least a millisecond. */
        public Duration untilNextLook() {
            Instant now = clock.instant();
            Duration wait = Duration.between(now, limits.nextCheck(activity.lastActivity(target.id(), start)));
            return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
        }

        private static Map<String, String> sentHeaders(Payloads.Request request, Map<String, String> headers) {
            if (!request.rewritten()) {
                return headers;
            }
            Map<String, String> json = new LinkedHashMap<>(headers);
            json.put("Content-Type", "application/json");
            return json;
        }
    }

    private final ProxyConfig config;
    private final TargetCache targets;
    private final Hierarchy cachedHierarchy;
    private final BusyParking parking;
    private final Settlement settlement;
    private final ActivityRecorder recorder;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final ActivityClock activity;
    private final IdleOverrides idleOverrides;

    /** Takes a call's activity row when the writer's queue is full, so the event loop never waits. */
    private final Executor blocking;

    FastLane(
            ProxyConfig config,
            TargetCache targets,
            BusyParking parking,
            Settlement settlement,
            ActivityRecorder recorder,
            ProxyMetrics metrics,
            Clock clock,
            ActivityClock activity,
            IdleOverrides idleOverrides,
            Executor blocking) {
        this.blocking = blocking;
        this.config = config;
        this.targets = targets;
        this.cachedHierarchy = new Hierarchy(targets::peek);
        this.parking = parking;
        this.settlement = settlement;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
        this.activity = activity;
        this.idleOverrides = idleOverrides;
    }

    /**
     * The call, ready to send, when it needs nothing but sending: its body fits, it asks for no
     * stream, the target's and the caller's rows are cached, the caller may call the target (decided
     * on cached rows), the target takes calls now and is not known to be full. Empty otherwise;
     * never blocks.
     *
     * @param headers the caller's headers that reach the agent, already filtered to {@link PassedHeaders#REQUEST}
     */
    public Optional<Call> admit(
            WorkspaceId target,
            @Nullable WorkspaceId caller,
            long timeoutSeconds,
            byte[] body,
            Map<String, String> headers) {
        if (body.length > config.maxRequestBytes() || onlyEventStream(headers.get("Accept"))) {
            return Optional.empty();
        }
        Optional<Workspace> row = targets.peek(target).filter(this::sendable);
        if (row.isEmpty() || (caller != null && !mayCall(caller, target))) {
            return Optional.empty();
        }
        Payloads.Request request = Payloads.scan(body, headers).orElseGet(() -> Payloads.prepare(body, headers));
        if (STREAMING.contains(request.method())) {
            return Optional.empty();
        }
        return Optional.of(new Call(this, row.get(), CallOptions.from(caller, timeoutSeconds), request, headers));
    }

    /**
     * The reply to a whole answer whose status is 429, 502, 503 or 504: the agent's own, the
     * structured answer of a restart when the agent is proven dead, or the call parked in the busy
     * queue when a live agent refused it. Blocks while the supervisor is asked.
     *
     * @param passed the agent's headers that pass back ({@link PassedHeaders#fromAgentHeaders})
     */
    public ProxyReply settle(Call call, int status, String contentType, byte[] body, Map<String, String> passed) {
        Settlement.Attempt attempt = settlement.whole(call.target, status, contentType, body, passed);
        return settlement.parkedIfBusy(attempt, call.target, call.options, call.request, call.callerHeaders, true);
    }

    /** Whether an answer of {@code status} goes to {@link #settle} rather than straight to the caller. */
    public static boolean settles(int status) {
        return Settlement.judged(status);
    }

    /**
     * The reply to a call that failed after its request was written (reset, closed, timed out), or
     * that was cut off ({@link Call#cutoff()}). Blocks while the supervisor is asked.
     */
    public ProxyReply failed(Call call, IOException cause) {
        return settlement.failure(call.target, cause, true).reply();
    }

    /** How long a relayed event stream may stay silent before {@link StreamLines#KEEP_ALIVE} goes into it. */
    public Duration keepAlive() {
        return config.keepAlive();
    }

    /**
     * The last event of an event stream the agent broke off while it was relayed, once the
     * supervisor has judged the agent: it says whether a restart began. Blocks while the
     * supervisor is asked.
     */
    public byte[] streamBroke(Call call, IOException cause) {
        return StreamLines.broken(call.request.idJson(), settlement.streamBroke(call.target, cause));
    }

    /** The last event of an event stream cut off because {@link Call#cutoff()} said so. */
    public byte[] streamCutOff(Call call) {
        return StreamLines.cutOff(call.request.idJson(), Objects.requireNonNull(call.cut, "the call was not cut off"));
    }

    /** The reply to an answer that passed the response cap. */
    public ProxyReply answerTooLarge() {
        return Outcomes.answerTooLarge(config.maxResponseBytes());
    }

    /** The reply to an agent that answered a call with 101. */
    public ProxyReply switchedProtocols() {
        return Outcomes.switchedProtocols();
    }

    /** The largest answer gathered whole, in bytes. */
    public int maxResponseBytes() {
        return config.maxResponseBytes();
    }

    /**
     * Logs the answered call (its activity row, written later) and counts it. Never blocks: when
     * the log's queue is full, a virtual thread waits to hand the row over.
     */
    public void finish(Call call, ProxyReply reply) {
        record(call, reply, Settlement.outcome(reply));
    }

    /**
     * Logs a call whose event stream was relayed to its end, or cut short, as {@link #finish} does;
     * its row keeps no answer, as a stream's never does.
     */
    public void finishStream(Call call, int status, Map<String, String> passed) {
        record(call, new ProxyReply.Relayed(status, "text/event-stream", new byte[0], passed), "streamed");
    }

    private void record(Call call, ProxyReply reply, String outcome) {
        Duration took = Duration.ofNanos(System.nanoTime() - call.startedNanos);
        if (!recorder.offer(call.target, call.options, call.request, reply, took, Duration.ZERO)) {
            blocking.execute(
                    () -> recorder.record(call.target, call.options, call.request, reply, took, Duration.ZERO));
        }
        metrics.answered(outcome, took);
    }

    /** Whether the target takes a call now: present, within budget, routable, not on its way back, not full. */
    private boolean sendable(Workspace w) {
        return w.status() != WorkspaceStatus.REMOVED
                && !w.overBudget()
                && HeldCall.whileComingBack(w).isEmpty()
                && Outcomes.unavailable(w).isEmpty()
                && !parking.fullBeforeSending(w);
    }

    /** Whether the cached rows say the caller may call: it is able to, and the hierarchy lets it. */
    private boolean mayCall(WorkspaceId caller, WorkspaceId target) {
        Optional<Workspace> row = targets.peek(caller);
        return row.isPresent()
                && Outcomes.callerUnable(row.get().status()).isEmpty()
                && cachedHierarchy.canCommunicate(caller, target);
    }

    /** Whether an {@code Accept} header asks for an event stream and nothing else. */
    static boolean onlyEventStream(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!type.equals("text/event-stream")) {
                return false;
            }
        }
        return true;
    }
}
