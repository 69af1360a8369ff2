package dev.lifeline.proxy;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.Hierarchy;
import dev.lifeline.core.Waker;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an A2A call to a workspace's agent and classifies what happened.
 *
 * <p>The pipeline: resolve the target's row (cached until a write to it is seen, here or, on a
 * shared database, announced by another replica, and for at most the row TTL, {@link #ROW_TTL} by
 * default, against a lost announcement), prepare the payload (only the canvas's shape
 * is rewritten; a JSON-RPC request goes as the caller's bytes), dispatch with connect and header
 * timeouts but no overall timeout, then answer. An ordinary answer is gathered whole (up
 * to the response cap) and relayed intact, whatever its final status; an event stream is relayed
 * as it arrives. Only a transport failure or an upstream 502/503/504 is reported to the {@link
 * HealthCheck} (concurrent reports on one generation share one check), and only proven death turns
 * it into the structured {@code 503 restarting}; a healthy agent's own 502 reaches the caller
 * unchanged. Each call is watched for its deadline ({@code X-Timeout}, or the ceiling of
 * agent-to-agent calls) and for idleness (no event from the target for the idle window); a cut-off
 * call is answered like any busy-shaped failure. The caller going away does not cancel the call.
 *
 * <p>A call that finds its target on its way back (offline, provisioning, hibernated), or whose
 * connection failed before a byte of it was written while the backend proves the agent dead, waits
 * for the next incarnation ({@link Holds}, bounded by {@link HoldBudget}) and is then sent to it,
 * exactly once. A call that may have reached the agent is never sent again: A2A messages are not
 * idempotent.
 *
 * <p>A call the agent surely did not take (it answered 429, or 503 while the backend proves it alive,
 * or its last heartbeat said it was at capacity, so the call was not sent) is put in the workspace's
 * durable queue and answered {@code 202 queued} ({@link BusyParking}); {@link QueueDrainer} delivers
 * it later through {@link #deliverQueued}.
 */
public final class A2aProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(A2aProxy.class);
    /** The client's destination for second tries, whose connections are never kept. */
    private static final Object SECOND_TRY = new Object();
    /** How long a cached row may serve calls, by default, when no write has evicted it. */
    public static final Duration ROW_TTL = Duration.ofSeconds(1);

    private final ProxyConfig config;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final ActivityClock activity;
    private final IdleOverrides idleOverrides = new IdleOverrides();
    private final ReactiveCheck reactive;
    private final Waker waker;
    private final Hierarchy hierarchy;
    private final ActivityRecorder recorder;
    private final TargetCache targets;
    private final Holds holds;
    private final RestartTimes restartTimes = new RestartTimes();
    private final BusyParking parking;
    private final Settlement settlement;
    private final KeptConnections kept = new KeptConnections();

    /** One call on its way to an agent, however many attempts and waits it takes. */
    @SuppressWarnings("ArrayRecordComponent") // the caller's bytes, sent as they are, never compared
    private record Delivery(
            byte[] body,
            Map<String, String> headers,
            CallOptions options,
            CallLimits limits,
            HeldCall held,
            long startedNanos,
            boolean mayPark) {}

    public A2aProxy(
            WorkspaceStore store,
            HealthCheck health,
            Waker waker,
            EventBus bus,
            ProxyConfig config,
            ProxyMetrics metrics,
            Clock clock) {
        this(store, health, waker, bus, config, metrics, clock, null, new AgentLoad(clock, Duration.ZERO), ROW_TTL);
    }

    /**
     * @param queue where calls an agent is too busy to take wait, or null to answer them {@code 503 busy}
     * @param load what heartbeats say of each agent's capacity and load
     * @param rowTtl how long a cached row lasts unless a write evicts it first
     */
    public A2aProxy(
            WorkspaceStore store,
            HealthCheck health,
            Waker waker,
            EventBus bus,
            ProxyConfig config,
            ProxyMetrics metrics,
            Clock clock,
            @Nullable CallQueue queue,
            AgentLoad load,
            Duration rowTtl) {
        this.config = config;
        this.parking = new BusyParking(queue, load, clock);
        this.metrics = metrics;
        this.clock = clock;
        this.activity = new ActivityClock(bus);
        this.waker = waker;
        this.targets = new TargetCache(store, rowTtl, System::nanoTime);
        this.hierarchy = new Hierarchy(targets::find);
        this.recorder = new ActivityRecorder(store, bus, clock);
        this.reactive = new ReactiveCheck(health, config.deathSettle());
        this.settlement = new Settlement(reactive, parking);
        this.timer = watchTimer();
        this.client = upstreamClient(config);
        this.holds = new Holds(bus, targets, config.holds(), timer);
        EventBus.Subscription _ = bus.subscribe(RestartTimes::tellsOfAStatus, restartTimes::seen);
    }

    /**
     * The client to the agents: HTTP/1.1 with pooled keep-alive connections, no redirects, no
     * cookies, no cap on connections (every held call needs its own), no {@code Accept-Encoding} or
     * {@code Content-Type} of its own and no decompression (bodies pass through as they were sent).
     * Of the protocol handlers only the skipping of interim answers stays, so an agent's 401 or 407
     * is its answer, not a challenge the client acts on.
     */
    private static HttpClient upstreamClient(ProxyConfig config) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("a2a-upstream");
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(config.connectTimeout().toMillis());
        // bounds a stalled TLS handshake and a pooled connection's idleness; during an exchange the
        // request's own idle timeout of 0 leaves silence to the watchdog
        client.setIdleTimeout(config.connectTimeout().toMillis());
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(Integer.MAX_VALUE);
        client.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
        client.setUserAgentField(null);
        client.setDefaultRequestContentType(null);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the upstream HTTP client did not start", e);
        }
        // start() installs the default protocol handlers, and decoders when none are set: replace both
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(new InterimAnswers());
        client.getContentDecoderFactories().clear();
        return client;
    }

    private static ScheduledExecutorService watchTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("a2a-watchdog").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Stops the upstream client, the call timer and the activity writer (after its last rows). */
    @Override
    public void close() {
        holds.close();
        timer.shutdownNow();
        try {
            client.stop();
        } catch (Exception e) {
            log.warn("stopping the upstream HTTP client failed", e);
        }
        recorder.close();
    }

    /** Forgets the cached row of {@code id}; to be called after every write to it. */
    public void forget(WorkspaceId id) {
        targets.forget(id);
    }

    /** Forgets every cached row; for when writes may have gone unannounced. */
    public void forgetAll() {
        targets.forgetAll();
    }

    /**
     * The way of the common call that needs no blocking, for a transport that serves it on an event
     * loop; {@code blocking} takes the activity row of a call when the writer's queue is full.
     */
    public FastLane fastLane(Executor blocking) {
        return new FastLane(
                config, targets, parking, settlement, recorder, metrics, clock, activity, idleOverrides, blocking);
    }

    /** Idle timeouts announced by agents; the registry updates them from heartbeats. */
    public IdleOverrides idleOverrides() {
        return idleOverrides;
    }

    /**
     * Forwards {@code body} to the agent of {@code target}.
     *
     * @param headers the caller's headers that reach the agent, already filtered to {@link PassedHeaders#REQUEST}
     */
    public ProxyReply forward(WorkspaceId target, byte[] body, Map<String, String> headers, CallOptions options) {
        return forward(target, body, headers, options, CallerLine.UNWATCHED);
    }

    /**
     * Forwards {@code body} to the agent of {@code target}.
     *
     * @param headers request headers to pass through (A2A-Version, Accept, Accept-Encoding), already filtered
     * @param line the caller's end, watched while the call waits for its workspace
     */
    public ProxyReply forward(
            WorkspaceId target, byte[] body, Map<String, String> headers, CallOptions options, CallerLine line) {
        long started = System.nanoTime();
        ProxyReply reply = route(target, body, headers, options, line, true);
        metrics.answered(Settlement.outcome(reply), Duration.ofNanos(System.nanoTime() - started));
        return reply;
    }

    /**
     * Delivers a call from the busy queue: as {@link #forward}, but an agent still busy gets its
     * answer returned instead of the call being queued again.
     */
    public ProxyReply deliverQueued(WorkspaceId target, byte[] body, Map<String, String> headers, CallOptions options) {
        long started = System.nanoTime();
        ProxyReply reply = route(target, body, headers, options, CallerLine.UNWATCHED, false);
        metrics.answered("drained_" + Settlement.outcome(reply), Duration.ofNanos(System.nanoTime() - started));
        return reply;
    }

    private ProxyReply route(
            WorkspaceId target,
            byte[] body,
            Map<String, String> headers,
            CallOptions options,
            CallerLine line,
            boolean mayPark) {
        if (body.length > config.maxRequestBytes()) {
            return Outcomes.requestTooLarge(config.maxRequestBytes());
        }
        Optional<Workspace> found = targets.find(target).filter(w -> w.status() != WorkspaceStatus.REMOVED);
        if (found.isEmpty()) {
            return Outcomes.notFound();
        }
        Workspace workspace = found.get();
        WorkspaceId caller = options.caller();
        Optional<ProxyReply.Refused> callerUnable = caller == null
                ? Optional.empty()
                : Outcomes.callerUnable(
                        targets.find(caller).map(Workspace::status).orElse(WorkspaceStatus.REMOVED));
        if (callerUnable.isPresent()) {
            return callerUnable.get();
        }
        if (caller != null && !hierarchy.canCommunicate(caller, target)) {
            return Outcomes.hierarchyDenied();
        }
        if (workspace.overBudget()) {
            return Outcomes.overBudget();
        }
        return deliver(workspace, body, headers, options, line, mayPark);
    }

    /**
     * Sends the call once it can reach an agent: waits while the workspace is on its way back, and
     * waits again after an attempt that never left for an agent proven dead, all within the call's
     * one hold budget.
     */
    private ProxyReply deliver(
            Workspace found,
            byte[] body,
            Map<String, String> headers,
            CallOptions options,
            CallerLine line,
            boolean mayPark) {
        Instant arrived = clock.instant();
        CallLimits limits = CallLimits.of(
                arrived,
                options.timeoutSeconds(),
                options.fromAgentOrSystem(),
                config.agentCallCeiling(),
                idleOverrides.idleFor(found.id(), config.idleTimeout()));
        HoldBudget budget = HoldBudget.of(arrived, config.holds().window(), limits.deadline(), options.preferredWait());
        Delivery delivery = new Delivery(
                body,
                headers,
                options,
                limits,
                new HeldCall(holds, restartTimes, metrics, clock, budget, line),
                System.nanoTime(),
                mayPark);
        Workspace workspace = found;
        while (true) {
            Optional<ProxyReply.Refused> comingBack = HeldCall.whileComingBack(workspace);
            HeldCall.Outcome outcome = comingBack.isPresent()
                    ? awaitReturn(delivery.held(), workspace, comingBack.get())
                    : sendOnce(delivery, workspace);
            switch (outcome) {
                case HeldCall.Outcome.Send send -> workspace = send.row();
                case HeldCall.Outcome.Answer answer -> {
                    return delivery.held().answer(answer.reply());
                }
            }
        }
    }

    /** Waits for a workspace that is restarting, or being woken (the wake starts here). */
    private HeldCall.Outcome awaitReturn(HeldCall call, Workspace workspace, ProxyReply.Refused atOnce) {
        boolean asleep = workspace.status() == WorkspaceStatus.HIBERNATED;
        if (asleep) {
            waker.wake(workspace.id());
        }
        return call.await(workspace, 0, asleep ? "waking" : "restarting", atOnce);
    }

    /**
     * Dispatches the call to {@code workspace}'s agent. An attempt that never left for an agent
     * proven dead waits for the next generation; any other ends the call, and is logged.
     */
    private HeldCall.Outcome sendOnce(Delivery delivery, Workspace workspace) {
        Optional<ProxyReply.Refused> unavailable = Outcomes.unavailable(workspace);
        if (unavailable.isPresent()) {
            return new HeldCall.Outcome.Answer(unavailable.get());
        }
        Payloads.Request request = Payloads.prepare(delivery.body(), delivery.headers());
        Optional<ProxyReply.Refused> parkedUnsent = delivery.mayPark() && parking.fullBeforeSending(workspace)
                ? parking.park(workspace, delivery.options(), request, delivery.headers())
                : Optional.empty();
        Settlement.Attempt attempt = parkedUnsent.isPresent()
                ? new Settlement.Attempt(parkedUnsent.get(), false, false)
                : dispatch(workspace, request, delivery.headers(), delivery.limits(), true);
        ProxyReply reply = settlement.parkedIfBusy(
                attempt, workspace, delivery.options(), request, delivery.headers(), delivery.mayPark());
        HeldCall.Outcome outcome = attempt.neverSent() && reply instanceof ProxyReply.Refused refused
                ? delivery.held().await(workspace, workspace.generation() + 1, "refused", refused)
                : new HeldCall.Outcome.Answer(reply);
        if (outcome instanceof HeldCall.Outcome.Answer answer) {
            Duration took = Duration.ofNanos(System.nanoTime() - delivery.startedNanos());
            recorder.record(
                    workspace,
                    delivery.options(),
                    request,
                    answer.reply(),
                    took,
                    delivery.held().held());
        }
        return outcome;
    }

    /**
     * One exchange with the agent. A first try that the agent's close of a kept connection cut off
     * before its answer ({@link SecondTry}) is tried once more, on a new connection that is
     * closed after it: its own destination in the client (a tag), so no kept connection is taken, and
     * {@code Connection: close}, so none is left. The price, as on the lane: an agent that read the
     * call and then dropped the connection without a byte of answer receives it twice.
     */
    private Settlement.Attempt dispatch(
            Workspace workspace,
            Payloads.Request request,
            Map<String, String> headers,
            CallLimits limits,
            boolean firstTry) {
        Request upstream = client.newRequest(workspace.endpoint().orElseThrow())
                .tag(firstTry ? null : SECOND_TRY)
                .method(HttpMethod.POST)
                .idleTimeout(0, TimeUnit.MILLISECONDS) // silence is the watchdog's to judge, not the socket's
                .headers(h -> {
                    headers.forEach(h::put);
                    if (request.rewritten()) {
                        h.put(HttpHeader.CONTENT_TYPE, "application/json");
                    }
                    if (!firstTry) {
                        h.put(HttpHeader.CONNECTION, "close");
                    }
                })
                .body(new BytesRequestContent((String) null, request.bytes())); // the content type is the caller's
        UpstreamAnswer listener = new UpstreamAnswer(config.maxResponseBytes());
        upstream.onRequestBegin(begun -> listener.requestBegun());
        upstream.send(listener);
        ScheduledFuture<?> headerTimeout = timer.schedule(
                () -> {
                    if (!listener.headersArrived()) {
                        abort(upstream, new HttpTimeoutException("no response headers from the agent in time"));
                    }
                },
                config.responseHeaderTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        Watchdog watchdog = new Watchdog(
                workspace.id(), limits, activity, clock, timer, cutoff -> abort(upstream, Settlement.cutoff(cutoff)));
        UpstreamAnswer.Outcome outcome;
        try {
            outcome = listener.outcome().get();
        } catch (InterruptedException e) {
            watchdog.close();
            abort(upstream, e);
            Thread.currentThread().interrupt();
            return new Settlement.Attempt(Outcomes.unreachable(), false, false);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the answer's outcome is only ever completed normally", e);
        } finally {
            headerTimeout.cancel(false);
        }
        if (listener.headersArrived()) {
            kept.answered(upstream);
        } else if (outcome instanceof UpstreamAnswer.Outcome.Failed failed
                && watchdog.fired().isEmpty()
                && SecondTry.applies(failed.failure(), kept.wentOutOnAKeptOne(upstream), false, firstTry)) {
            watchdog.close();
            log.debug("{}: the agent ended a kept connection under a call; sending it once more", workspace.id());
            return dispatch(workspace, request, headers, limits, false);
        }
        boolean neverSent = false;
        boolean refusedBusy = false;
        ProxyReply reply =
                switch (outcome) {
                    case UpstreamAnswer.Outcome.Whole whole -> {
                        watchdog.close();
                        Settlement.Attempt judged = settlement.whole(
                                workspace,
                                whole.response().getStatus(),
                                contentType(whole.response()),
                                whole.body(),
                                PassedHeaders.fromAgent(whole.response().getHeaders()));
                        refusedBusy = judged.refusedBusy();
                        yield judged.reply();
                    }
                    case UpstreamAnswer.Outcome.Streaming streaming -> {
                        Optional<ProxyReply.Refused> dead = settlement.deadInstead(
                                workspace, streaming.response().getStatus());
                        if (dead.isPresent()) {
                            watchdog.close();
                            closeQuietly(streaming.body());
                            yield dead.get();
                        }
                        Map<String, String> passed =
                                PassedHeaders.fromAgent(streaming.response().getHeaders());
                        yield new ProxyReply.Streamed(
                                streaming.response().getStatus(),
                                new StreamRelay(
                                        workspace,
                                        streaming.body(),
                                        watchdog,
                                        settlement,
                                        config.keepAlive(),
                                        request.idJson(),
                                        passed.containsKey(HttpHeader.CONTENT_ENCODING.asString())),
                                passed);
                    }
                    case UpstreamAnswer.Outcome.SwitchedProtocols switched -> {
                        watchdog.close();
                        yield Outcomes.switchedProtocols();
                    }
                    case UpstreamAnswer.Outcome.TooLarge tooLarge -> {
                        watchdog.close();
                        yield Outcomes.answerTooLarge(config.maxResponseBytes());
                    }
                    case UpstreamAnswer.Outcome.Failed failed -> {
                        watchdog.close();
                        IOException cause =
                                watchdog.fired().map(Settlement::cutoff).orElseGet(() -> asIo(failed.failure()));
                        Settlement.Attempt judged = settlement.failure(workspace, cause, listener.begun());
                        neverSent = judged.neverSent();
                        yield judged.reply();
                    }
                };
        return new Settlement.Attempt(reply, neverSent, refusedBusy);
    }

    private static String contentType(Response response) {
        return Objects.requireNonNullElse(response.getHeaders().get(HttpHeader.CONTENT_TYPE), "application/json");
    }

    private static IOException asIo(Throwable failure) {
        return failure instanceof IOException io ? io : new IOException(failure);
    }

    /** Ends an upstream exchange; whether it was still running does not matter. */
    private static void abort(Request upstream, Throwable why) {
        var _ = upstream.abort(why);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing an abandoned response failed", e);
        }
    }
}
