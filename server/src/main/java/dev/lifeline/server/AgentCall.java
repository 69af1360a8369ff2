package dev.lifeline.server;

import dev.lifeline.proxy.FastLane;
import dev.lifeline.proxy.PassedHeaders;
import dev.lifeline.proxy.ProxyReply;
import dev.lifeline.proxy.SecondTry;
import dev.lifeline.proxy.StreamLines;
import dev.lifeline.server.edge.EdgeExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One call of {@link A2aLane} on its way to the agent and back, all on one event loop: it takes a
 * connection, writes the request, watches the header bound and the call's deadline and idle window,
 * gathers the answer whole (up to the response cap) or relays an event stream as it arrives (with
 * the blocking way's keep-alive comments, and its last error event when the stream breaks or is cut
 * off), and answers the caller. A connection that could not be opened has had nothing written to it, so the
 * call is handed back to the blocking way; an answer to be judged, a failure after the request was
 * written and a cut-off are settled by the proxy on the blocking executor. The caller going away
 * changes nothing: the call runs to its end and is logged.
 */
final class AgentCall implements AgentConnections.Exchange {
    private final FastLane lane;
    private final FastLane.Call call;
    private final EdgeExchange exchange;
    private final AgentEndpoints.Endpoint endpoint;
    private final AgentConnections connections;
    private final Executor blocking;
    private final long headerTimeoutMillis;
    private @Nullable Channel upstream;
    private @Nullable ScheduledFuture<?> headerTimer;
    private @Nullable ScheduledFuture<?> watch;
    private @Nullable ScheduledFuture<?> keepAliveTimer;
    private final StreamLines lines = new StreamLines();
    private long streamedAt;
    private boolean encodedStream;
    private @Nullable CompositeByteBuf gathered;
    private @Nullable HttpHeaders answerHeaders;
    private int status;
    private boolean keepAlive;
    private boolean skippingInterim;
    private boolean streaming;
    private boolean heard;
    private boolean resent;
    private boolean done;

    AgentCall(
            FastLane lane,
            FastLane.Call call,
            EdgeExchange exchange,
            AgentEndpoints.Endpoint endpoint,
            AgentConnections connections,
            Executor blocking,
            long headerTimeoutMillis) {
        this.lane = lane;
        this.call = call;
        this.exchange = exchange;
        this.endpoint = endpoint;
        this.connections = connections;
        this.blocking = blocking;
        this.headerTimeoutMillis = headerTimeoutMillis;
    }

    /** Starts the call on {@code loop}, where it then lives. */
    void start(EventLoop loop) {
        connections.acquire(loop, endpoint.address(), this, this::send, refused -> exchange.relay());
    }

    private void send(Channel channel) {
        upstream = channel;
        ByteBuf body = call.callersBytes()
                ? exchange.request().content().retainedDuplicate()
                : Unpooled.wrappedBuffer(call.body());
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, endpoint.target(), body);
        HttpHeaders headers = request.headers();
        call.headers().forEach(headers::set);
        headers.set(HttpHeaderNames.HOST, endpoint.host());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        headerTimer = channel.eventLoop()
                .schedule(
                        () -> fail(new HttpTimeoutException("no response headers from the agent in time")),
                        headerTimeoutMillis,
                        TimeUnit.MILLISECONDS);
        look();
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                failed(written.cause());
            }
        });
    }

    /** Cuts the call off when its deadline passed or its target went silent, else looks again when that could be. */
    private void look() {
        if (done) {
            return;
        }
        var cutoff = call.cutoff();
        if (cutoff.isPresent() && streaming) {
            stop();
            AgentConnections.discard(Objects.requireNonNull(upstream));
            endStream(lane.streamCutOff(call));
            return;
        }
        if (cutoff.isPresent()) {
            fail(cutoff.get());
            return;
        }
        watch = Objects.requireNonNull(upstream)
                .eventLoop()
                .schedule(this::look, call.untilNextLook().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void read(Object message) {
        try {
            if (done) {
                return;
            }
            heard = true;
            if (message instanceof DecoderResultProvider decoded
                    && decoded.decoderResult().isFailure()) {
                fail(new IOException(
                        "the agent's answer is not valid HTTP",
                        decoded.decoderResult().cause()));
                return;
            }
            if (message instanceof HttpResponse head) {
                head(head);
            }
            if (!done && message instanceof HttpContent content) {
                content(content);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void head(HttpResponse head) {
        int code = head.status().code();
        if (code == 101) {
            finishUnpooled(lane.switchedProtocols());
            return;
        }
        if (code < 200) {
            skippingInterim = true;
            return;
        }
        cancel(headerTimer);
        status = code;
        answerHeaders = head.headers();
        keepAlive = HttpUtil.isKeepAlive(head);
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        streaming = type != null
                && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")
                && !FastLane.settles(code);
        if (streaming) {
            Map<String, String> passed = passed();
            encodedStream = passed.containsKey(HttpHeaderNames.CONTENT_ENCODING.toString());
            toCaller(LaneReplies.streamHead(code, passed));
            streamedAt = System.nanoTime();
            keepAlive();
        } else {
            gathered = Objects.requireNonNull(upstream).alloc().compositeBuffer(Integer.MAX_VALUE);
        }
    }

    private void content(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (skippingInterim) {
            skippingInterim = !last;
            return;
        }
        if (streaming) {
            ByteBuf bytes = content.content().retain();
            for (int i = Math.max(bytes.readerIndex(), bytes.writerIndex() - 3); i < bytes.writerIndex(); i++) {
                lines.saw(bytes.getByte(i));
            }
            streamedAt = System.nanoTime();
            toCaller(last ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
            if (last) {
                ended();
                lane.finishStream(call, status, passed());
            }
            return;
        }
        CompositeByteBuf whole = Objects.requireNonNull(gathered);
        if (whole.readableBytes() + content.content().readableBytes() > lane.maxResponseBytes()) {
            finishUnpooled(lane.answerTooLarge());
            return;
        }
        if (content.content().isReadable()) {
            whole.addComponent(true, content.content().retain());
        }
        if (last) {
            gathered = null; // handed on whole, not released with the call
            ended();
            answer(whole);
        }
    }

    /**
     * Writes a comment into a relayed event stream that has been silent for the keep-alive interval,
     * between events and unless it is compressed, as the blocking way does; then looks again when
     * the stream could next have been silent that long.
     */
    private void keepAlive() {
        if (done) {
            return;
        }
        long interval = lane.keepAlive().toNanos();
        long quiet = System.nanoTime() - streamedAt;
        if (quiet >= interval) {
            if (!encodedStream && lines.betweenEvents()) {
                toCaller(new DefaultHttpContent(Unpooled.wrappedBuffer(StreamLines.KEEP_ALIVE)));
            }
            streamedAt += quiet;
            quiet = 0;
        }
        keepAliveTimer = Objects.requireNonNull(upstream)
                .eventLoop()
                .schedule(this::keepAlive, interval - quiet, TimeUnit.NANOSECONDS);
    }

    /** The whole answer: relayed as it is, or settled by the proxy when its status is to be judged. */
    private void answer(CompositeByteBuf whole) {
        Map<String, String> passed = passed();
        String contentType = Objects.requireNonNullElse(
                Objects.requireNonNull(answerHeaders).get(HttpHeaderNames.CONTENT_TYPE), "application/json");
        byte[] bytes = ByteBufUtil.getBytes(whole);
        if (FastLane.settles(status)) {
            whole.release();
            judge(() -> lane.settle(call, status, contentType, bytes, passed));
            return;
        }
        toCaller(LaneReplies.relayed(status, contentType, whole, passed));
        lane.finish(call, new ProxyReply.Relayed(status, contentType, bytes, passed));
    }

    @Override
    public void closed() {
        failed(new EOFException("the agent closed the connection before its answer was complete"));
    }

    @Override
    public void failed(Throwable cause) {
        if (!sentAgain(cause)) {
            fail(cause);
        }
    }

    /** Sends the call once more on a new connection when {@link SecondTry} says so. */
    private boolean sentAgain(Throwable cause) {
        Channel channel = upstream;
        if (done || channel == null || !SecondTry.applies(cause, AgentConnections.reused(channel), heard, !resent)) {
            return false;
        }
        resent = true;
        cancel(headerTimer);
        cancel(watch);
        AgentConnections.discard(channel);
        connections.connect(channel.eventLoop(), endpoint.address(), this, this::send, this::fail);
        return true;
    }

    /** A failure after the request was written, or a cut-off: the proxy judges it. */
    private void fail(Throwable cause) {
        Channel channel = upstream;
        if (done || channel == null) {
            return; // a connection that never opened is the refusal's to answer
        }
        stop();
        AgentConnections.discard(channel);
        IOException failure = asTransportFailure(cause);
        if (streaming) {
            // the supervisor judges the agent first, so the stream's last event can say whether it restarts
            EventLoop loop = channel.eventLoop();
            blocking.execute(() -> {
                byte[] last = lane.streamBroke(call, failure);
                loop.execute(() -> endStream(last));
            });
            return;
        }
        judge(() -> lane.failed(call, failure));
    }

    /**
     * Answers the caller with the proxy's judgement, made on the blocking executor. A judgement that
     * fails (the supervisor or the database unavailable) is answered as {@link ApiErrors} answers it
     * on the blocking way, so the caller is never left waiting.
     */
    private void judge(Supplier<ProxyReply> judgement) {
        blocking.execute(() -> {
            ProxyReply reply;
            try {
                reply = judgement.get();
            } catch (RuntimeException e) {
                ApiErrors.Answer answer = ApiErrors.answer(
                        e, "POST", A2aLane.path(exchange.request().uri()));
                reply = new ProxyReply.Refused(answer.status(), answer.body(), Map.of());
            }
            reply(reply);
        });
    }

    /**
     * Ends a relayed event stream that ended early, its agent connection already dropped: the
     * caller gets Lifeline's last event (unless the stream is compressed) and the stream's end.
     */
    private void endStream(byte[] lastEvent) {
        ByteBuf bytes = encodedStream ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(lastEvent);
        toCaller(new DefaultLastHttpContent(bytes));
        lane.finishStream(call, status, passed());
    }

    /** Ends the call with a reply of Lifeline's own, closing a connection whose answer was not read to its end. */
    private void finishUnpooled(ProxyReply reply) {
        Channel channel = Objects.requireNonNull(upstream);
        stop();
        AgentConnections.discard(channel);
        reply(reply);
    }

    /** The answer was read to its end: the connection serves the next call, unless the agent ends it. */
    private void ended() {
        Channel channel = Objects.requireNonNull(upstream);
        stop();
        if (keepAlive) {
            connections.release(channel, endpoint.address());
        } else {
            AgentConnections.discard(channel);
        }
    }

    private void stop() {
        done = true;
        cancel(headerTimer);
        cancel(watch);
        cancel(keepAliveTimer);
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }

    private void reply(ProxyReply reply) {
        toCaller(LaneReplies.of(reply));
        lane.finish(call, reply);
    }

    /** Writes to the caller; a caller that left does not change the call. */
    private void toCaller(Object message) {
        var _ = exchange.channel().writeAndFlush(message);
    }

    private Map<String, String> passed() {
        HttpHeaders headers = Objects.requireNonNull(answerHeaders);
        return PassedHeaders.fromAgentHeaders(headers);
    }

    private static void cancel(@Nullable ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * The failure as the proxy judges it: timeouts and an early end as they are; any other error on
     * a connection that was open is a dropped connection, whatever the transport named it.
     */
    private static IOException asTransportFailure(Throwable cause) {
        if (cause instanceof HttpTimeoutException
                || cause instanceof EOFException
                || cause instanceof SocketException) {
            return (IOException) cause;
        }
        if (cause instanceof IOException io && io.getCause() != null && !(io.getCause() instanceof IOException)) {
            return io; // the answer was not HTTP: not a dropped connection
        }
        return new SocketException("the connection to the agent dropped: " + cause);
    }
}
