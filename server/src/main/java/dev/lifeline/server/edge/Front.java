package dev.lifeline.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's connection: the edge's state machine. Everything runs on the connection's event loop.
 *
 * <p>The connection reads one message at a time (no auto-read, its own inbox): the next
 * request's head is read only once the answer to the previous one is written, so pipelined requests
 * are answered in order. A head a route claims has its body gathered and goes to the route; any
 * other request is relayed to Javalin over this connection's {@link Backend}, its body read only
 * while the backend can take it, and the answer's parts written as they come, the backend reading
 * only while the caller can take them. A 101 turns both connections into byte pipes. Every write of
 * an answer passes through {@link #write}, which sees its status, its framing and its last part, so
 * answers written by routes and relayed ones end the same way.
 *
 * <p>This is the edge's one hard class and is kept whole, longer than the others: every transition
 * of a connection's state is here, where one can check that each state releases what it holds.
 */
final class Front extends ChannelDuplexHandler implements EdgeExchange {
    private static final Logger log = LoggerFactory.getLogger(Front.class);
    /** How long a closing connection's input is read and dropped, so the caller can read its answer. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum State {
        /** Waiting for the next request's head. */
        WAITING,
        /** Reading the body of a request a route claimed. */
        GATHERING,
        /** A route has the request, or the edge answers it itself. */
        SERVING,
        /** The request goes to Javalin and its answer comes back. */
        RELAYING,
        /** Javalin answered before the body's end, keeping the connection: the rest is read and dropped. */
        DISCARDING,
        /** After a 101: bytes pass both ways as they are. */
        PIPE,
        /** After a route's 101: the connection is the route's, this handler has left the pipeline. */
        HANDED_OVER,
        /** The last answer is out; input is dropped until the caller hangs up or the linger ends. */
        CLOSING
    }

    private final Wiring wiring;
    private final ChannelFutureListener answerWritten = this::answerWritten;
    private final Runnable idleCheck = this::checkIdle;
    private @Nullable ChannelHandlerContext ctx;
    private State state = State.WAITING;
    private @Nullable Backend backend;
    private @Nullable EdgeRoute route;
    private @Nullable HttpRequest head;
    /** The {@code Origin} of the request being answered, for the CORS headers of the edge's own answers. */
    private @Nullable String origin;

    private @Nullable ByteBuf body;
    private @Nullable FullHttpRequest request;
    /** Who takes the connection once the route's 101 is written. */
    private @Nullable ChannelHandler upgradeTo;
    /** What the caller sent while its request was answered: its next request, served after the answer. */
    private @Nullable Object held;
    /** Messages decoded but not yet asked for. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>(4);

    private boolean wanting;

    private @Nullable ScheduledFuture<?> idleTimer;
    private long waitingSince;
    private int bodyLimit;
    private boolean requestDone;
    private boolean closeAfter;
    private boolean headRequest;
    private boolean answerStarted;
    private boolean answerComplete;
    private boolean informational;
    private boolean switching;
    private boolean bodyWanted;
    /** The relayed request declares a body Javalin refuses: none of it is read or forwarded. */
    private boolean bodyWithheld;
    /** The caller has shut its side of the connection: it sends nothing more. */
    private boolean inputShut;

    Front(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    private ChannelHandlerContext ctx() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("not in a pipeline");
        }
        return c;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        expectCaller();
        next();
    }

    /** Asks for the caller's next message: one decoded already, or one more read of the connection. */
    private void next() {
        Object msg = inbox.poll();
        if (msg != null) {
            dispatch(msg);
        } else {
            wanting = true;
            ctx().read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.PIPE || state == State.CLOSING || (wanting && inbox.isEmpty())) {
            wanting = false;
            dispatch(msg);
        } else {
            inbox.add(msg); // one read may decode several messages: they wait to be asked for
        }
    }

    private void dispatch(Object msg) {
        switch (state) {
            case WAITING -> onHead(msg);
            case GATHERING -> gather(msg);
            case RELAYING -> {
                if (requestDone) {
                    hold(msg);
                } else {
                    relayBody(msg);
                }
            }
            case SERVING -> hold(msg);
            case DISCARDING -> discard(msg);
            case PIPE -> pipe(msg);
            case CLOSING, HANDED_OVER -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Backend b = backend;
        if (state == State.PIPE && b != null) {
            b.channel().flush();
        } else if (wanting) {
            ctx.read(); // the read ended inside a message
        }
    }

    /**
     * Reads on while a request is answered, only to see the caller hang up at once (the answer's
     * backend connection then closes too); whatever it sends meanwhile waits for the answer's end.
     */
    private void watchCaller() {
        next();
    }

    private void hold(Object msg) {
        if (held == null) {
            held = msg;
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- a request's head

    private void onHead(Object msg) {
        if (!(msg instanceof HttpRequest head)) {
            ReferenceCountUtil.release(msg); // the end of a body refused before it was read
            next();
            return;
        }
        DecoderResult decoded = head.decoderResult();
        origin = null;
        if (decoded.isFailure() || head.protocolVersion().majorVersion() != 1) {
            ReferenceCountUtil.release(head);
            refuse(decoded.isFailure() ? statusFor(decoded.cause()) : 505);
            return;
        }
        origin = head.headers().get(HttpHeaderNames.ORIGIN);
        closeAfter = !HttpUtil.isKeepAlive(head);
        headRequest = HttpMethod.HEAD.equals(head.method());
        answerStarted = false;
        answerComplete = false;
        informational = false;
        switching = false;
        requestDone = head instanceof LastHttpContent;
        bodyWithheld = HttpUtil.getContentLength(head, 0L) > wiring.maxRelayedBody;
        EdgeRoute claimed = wiring.routeFor(head);
        if (claimed != null && HttpUtil.getContentLength(head, 0L) <= claimed.maxBodyBytes()) {
            startGathering(claimed, head);
        } else {
            // a declared body over a route's limit is Javalin's to refuse, before any of it is read
            relay(head);
        }
    }

    private static int statusFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return 414;
        }
        return cause instanceof TooLongHttpHeaderException ? 431 : 400;
    }

    /** The edge's own answer, a JSON error; the connection closes after it. */
    private void refuse(int status) {
        state = State.SERVING;
        requestDone = true;
        closeAfter = true;
        var _ = ctx().channel().writeAndFlush(wiring.error(status, origin));
    }

    // ---- a claimed request

    private void startGathering(EdgeRoute claimed, HttpRequest head) {
        if (HttpUtil.is100ContinueExpected(head)) {
            var _ = ctx().writeAndFlush(new DefaultFullHttpResponse(
                    head.protocolVersion(), HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        route = claimed;
        this.head = head;
        waitingSince = System.nanoTime();
        bodyLimit = claimed.maxBodyBytes() + 1;
        state = State.GATHERING;
        if (requestDone) {
            serve();
            return;
        }
        next();
    }

    private void gather(Object msg) {
        if (!(msg instanceof HttpContent part)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (part.decoderResult().isFailure()) {
            part.release();
            releaseGathered();
            refuse(400);
            return;
        }
        waitingSince = System.nanoTime();
        boolean truncated = add(part.content());
        part.release();
        if (truncated) {
            closeAfter = true; // the rest of the body stays unread
            serve();
        } else if (part instanceof LastHttpContent) {
            requestDone = true;
            serve();
        } else {
            next();
        }
    }

    /** Adds a part of the body, up to the limit; whether the body reached it. */
    private boolean add(ByteBuf data) {
        ByteBuf gathered = body;
        int room = bodyLimit - (gathered == null ? 0 : gathered.readableBytes());
        int taken = Math.min(room, data.readableBytes());
        if (taken == 0) {
            return room == 0;
        }
        ByteBuf piece = data.retainedSlice(data.readerIndex(), taken);
        if (gathered == null) {
            body = piece;
        } else if (gathered instanceof CompositeByteBuf composite) {
            composite.addComponent(true, piece);
        } else {
            body = ctx().alloc().compositeBuffer().addComponents(true, gathered, piece);
        }
        return taken == room;
    }

    private void serve() {
        HttpRequest h = head;
        EdgeRoute r = route;
        if (h == null || r == null) {
            throw new IllegalStateException("no claimed request to serve");
        }
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
        body = null;
        head = null;
        route = null;
        FullHttpRequest whole = new DefaultFullHttpRequest(
                h.protocolVersion(), h.method(), h.uri(), content, h.headers(), EmptyHttpHeaders.INSTANCE);
        request = whole;
        state = State.SERVING;
        watchCaller();
        try {
            r.serve(this);
        } catch (RuntimeException e) {
            log.warn("an edge route failed", e);
            if (answerStarted) {
                var _ = ctx().close();
            } else {
                refuse(500);
            }
        }
    }

    @Override
    public FullHttpRequest request() {
        FullHttpRequest r = request;
        if (r == null) {
            throw new IllegalStateException("no request is being served");
        }
        return r;
    }

    @Override
    public Channel channel() {
        return ctx().channel();
    }

    @Override
    public void relay() {
        ChannelHandlerContext c = ctx();
        if (!c.executor().inEventLoop()) {
            c.executor().execute(this::relay);
            return;
        }
        FullHttpRequest r = request;
        if (state != State.SERVING || r == null || answerStarted) {
            throw new IllegalStateException("only a request served and not yet answered can be relayed");
        }
        request = null;
        HttpUtil.setTransferEncodingChunked(r, false);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        requestDone = true;
        relay(r);
    }

    @Override
    public void upgrade(FullHttpResponse switching, ChannelHandler then) {
        ChannelHandlerContext c = ctx();
        if (!c.executor().inEventLoop()) {
            c.executor().execute(() -> upgrade(switching, then));
            return;
        }
        if (state != State.SERVING || request == null || answerStarted) {
            switching.release();
            throw new IllegalStateException("only a request served and not yet answered can be upgraded");
        }
        upgradeTo = then;
        // from the pipeline's tail, through write() below, as a route's answers go
        var _ = c.channel().writeAndFlush(switching);
    }

    /** The route's 101 is out: HTTP leaves the pipeline, and what the caller sends next is {@code then}'s. */
    private void handOver(ChannelHandler then) {
        state = State.HANDED_OVER;
        releaseRequest();
        Object early = held;
        held = null;
        ReferenceCountUtil.release(early);
        releaseInbox();
        ScheduledFuture<?> timer = idleTimer;
        idleTimer = null;
        if (timer != null) {
            timer.cancel(false);
        }
        Backend b = backend;
        backend = null;
        if (b != null) {
            b.close();
        }
        ChannelHandlerContext c = ctx();
        ChannelPipeline pipeline = c.pipeline();
        pipeline.addLast(then);
        pipeline.remove(this);
        // last, so that bytes its decoder still holds go on to the new handler
        pipeline.remove(HttpServerCodec.class);
        c.channel().config().setAutoRead(true);
    }

    // ---- a relayed request

    private void relay(HttpRequest head) {
        state = State.RELAYING;
        Backend b = backend;
        if (b != null && System.nanoTime() - waitingSince > wiring.idleTimeoutNanos / 2) {
            // Javalin closes a connection idle for its timeout: one about to go is not reused
            b.close();
            b = null;
        }
        if (b == null) {
            b = Backend.open(this, ctx().channel(), wiring);
            backend = b;
        }
        b.send(head, requestDone);
    }

    boolean requestDone() {
        return requestDone;
    }

    /** Reads the next part of a relayed body once the backend can take it. */
    void wantBody() {
        Backend b = backend;
        if (b == null) {
            return;
        }
        boolean bodyGoesOn = state == State.RELAYING && !requestDone && !bodyWithheld;
        if (!bodyGoesOn || inbox.isEmpty() || !b.channel().isWritable()) {
            b.channel().flush(); // no further part is at hand: what was written goes now
        }
        if (!bodyGoesOn) {
            return;
        }
        if (inputShut && inbox.isEmpty()) {
            stoppedSending(b);
        } else if (b.channel().isWritable()) {
            next();
        } else {
            bodyWanted = true;
        }
    }

    private void relayBody(Object msg) {
        Backend b = backend;
        if (b == null
                || !(msg instanceof HttpContent part)
                || part.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            var _ = ctx().close();
            return;
        }
        boolean last = part instanceof LastHttpContent;
        requestDone = last;
        b.write(part, last);
        if (last) {
            watchCaller();
        }
    }

    void javalinWritable(Backend from, boolean writable) {
        if (from != backend) {
            return;
        }
        if (state == State.PIPE) {
            ctx().channel().config().setAutoRead(writable);
        } else if (writable && bodyWanted) {
            bodyWanted = false;
            wantBody();
        }
    }

    void javalinUnreachable() {
        backend = null;
        if (state == State.RELAYING && !answerStarted) {
            log.warn("the edge cannot reach Javalin at {}", wiring.javalin);
            refuse(502);
        } else {
            var _ = ctx().close();
        }
    }

    /** A part of Javalin's answer, or bytes after a 101. */
    void answerPart(Backend from, Object msg) {
        Channel caller = ctx().channel();
        if (from != backend || (state != State.RELAYING && state != State.PIPE)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.RELAYING
                && msg instanceof HttpObject part
                && part.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            from.close();
            var _ = caller.close();
            return;
        }
        var _ = caller.write(msg, caller.voidPromise());
        if (switching && msg instanceof LastHttpContent) {
            caller.flush();
            becomePipe(from);
            return;
        }
        if (!caller.isWritable()) {
            from.channel().config().setAutoRead(false);
        }
    }

    void flushAnswer() {
        ctx().channel().flush();
    }

    void javalinClosed(Backend from) {
        if (from != backend) {
            return;
        }
        backend = null;
        Channel caller = ctx().channel();
        if (state == State.PIPE) {
            caller.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (state == State.RELAYING && !answerComplete) {
            if (answerStarted) {
                caller.flush();
                var _ = caller.close();
            } else {
                refuse(502);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Backend b = backend;
        if (b != null) {
            b.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- after a 101

    private void becomePipe(Backend from) {
        state = State.PIPE;
        ChannelHandlerContext c = ctx();
        HttpServerCodec codec = c.pipeline().get(HttpServerCodec.class);
        // encoders first, so that bytes the decoders still hold pass as they are
        codec.removeOutboundHandler();
        from.dropEncoder();
        Object early = held;
        held = null;
        ReferenceCountUtil.release(early);
        releaseInbox();
        c.pipeline().remove(codec);
        from.becomePipe();
        c.channel().config().setAutoRead(from.channel().isWritable());
        from.channel().config().setAutoRead(c.channel().isWritable());
    }

    private void pipe(Object msg) {
        Backend b = backend;
        if (b == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        var _ = b.channel().write(msg, b.channel().voidPromise());
        if (!b.channel().isWritable()) {
            ctx().channel().config().setAutoRead(false);
        }
    }

    // ---- every answer's writes

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.PIPE || state == State.CLOSING) {
            var _ = ctx.write(msg, promise);
            return;
        }
        if (msg instanceof HttpResponse answer) {
            noteAnswerHead(answer);
        }
        if (msg instanceof LastHttpContent) {
            if (informational) {
                informational = false;
            } else {
                answerComplete = true;
                ChannelPromise written = promise.unvoid();
                var _ = ctx.write(msg, written);
                written.addListener(answerWritten);
                return;
            }
        }
        var _ = ctx.write(msg, promise);
    }

    /** Notes what an answer's head says about the connection. */
    private void noteAnswerHead(HttpResponse answer) {
        int code = answer.status().code();
        informational = answer.status().codeClass() == HttpStatusClass.INFORMATIONAL && code != 101;
        if (informational) {
            return;
        }
        answerStarted = true;
        switching = code == 101;
        if (!switching && (!HttpUtil.isKeepAlive(answer) || closeDelimited(answer, code))) {
            closeAfter = true;
        }
        if (closeAfter && !switching && answer.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** An answer whose body ends only when the connection does. */
    private boolean closeDelimited(HttpResponse answer, int code) {
        return !headRequest
                && code != 204
                && code != 304
                && !HttpUtil.isTransferEncodingChunked(answer)
                && !answer.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    }

    private void answerWritten(ChannelFuture written) {
        if (state == State.PIPE || state == State.CLOSING || state == State.HANDED_OVER) {
            return;
        }
        if (!written.isSuccess()) {
            var _ = ctx().close();
            return;
        }
        ChannelHandler then = upgradeTo;
        upgradeTo = null;
        if (then != null && switching) {
            handOver(then);
            return;
        }
        releaseRequest();
        if (!requestDone) {
            // answered before the caller finished sending: Javalin's connection still expects the rest
            Backend b = backend;
            backend = null;
            if (b != null) {
                b.close();
            }
        }
        if (closeAfter) {
            closeGracefully();
        } else if (!requestDone) {
            state = State.DISCARDING;
            expectCaller();
            next();
        } else {
            awaitNextRequest();
        }
    }

    private void discard(Object msg) {
        boolean last = msg instanceof LastHttpContent;
        boolean failed = msg instanceof HttpObject part && part.decoderResult().isFailure();
        ReferenceCountUtil.release(msg);
        if (failed) {
            var _ = ctx().close();
        } else if (last) {
            requestDone = true;
            awaitNextRequest();
        } else {
            waitingSince = System.nanoTime();
            next();
        }
    }

    private void awaitNextRequest() {
        state = State.WAITING;
        expectCaller();
        Object next = held;
        held = null;
        if (next == null) {
            next();
        } else {
            onHead(next);
        }
    }

    private void releaseRequest() {
        FullHttpRequest r = request;
        request = null;
        if (r != null && r.refCnt() > 0) {
            r.release();
        }
    }

    private void releaseInbox() {
        for (Object msg = inbox.poll(); msg != null; msg = inbox.poll()) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void releaseGathered() {
        ByteBuf b = body;
        body = null;
        head = null;
        route = null;
        if (b != null) {
            b.release();
        }
    }

    // ---- closing and timing out

    /** Half-closes after the answer and drops the caller's input a while, so it can read the answer. */
    private void closeGracefully() {
        state = State.CLOSING;
        Object next = held;
        held = null;
        ReferenceCountUtil.release(next);
        releaseInbox();
        Channel caller = ctx().channel();
        if (caller instanceof DuplexChannel duplex && !inputShut) {
            var _ = duplex.shutdownOutput();
            caller.config().setAutoRead(true);
            var _ = ctx().executor()
                    .schedule(
                            () -> {
                                var _ = caller.close();
                            },
                            Math.min(LINGER_NANOS, wiring.idleTimeoutNanos),
                            TimeUnit.NANOSECONDS);
        } else {
            var _ = caller.close();
        }
    }

    /** Starts the caller's timeout: it must send within it, or its connection closes. */
    private void expectCaller() {
        waitingSince = System.nanoTime();
        if (idleTimer == null) {
            idleTimer = ctx().executor().schedule(idleCheck, wiring.idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkIdle() {
        idleTimer = null;
        if (state != State.WAITING && state != State.GATHERING && state != State.DISCARDING) {
            return;
        }
        long left = waitingSince + wiring.idleTimeoutNanos - System.nanoTime();
        if (left > 0) {
            idleTimer = ctx().executor().schedule(idleCheck, left, TimeUnit.NANOSECONDS);
        } else if (state == State.GATHERING) {
            releaseGathered();
            refuse(408);
        } else {
            var _ = ctx().close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSING;
        Backend b = backend;
        backend = null;
        if (b != null) {
            b.close();
        }
        ScheduledFuture<?> timer = idleTimer;
        idleTimer = null;
        if (timer != null) {
            timer.cancel(false);
        }
        releaseGathered();
        releaseRequest();
        Object next = held;
        held = null;
        ReferenceCountUtil.release(next);
        releaseInbox();
        ctx.fireChannelInactive();
    }

    /**
     * The caller shut its side, a hang-up or a half-close. Before its answer starts, Javalin's
     * connection is half-closed the same way, so Javalin sees what it would see from the caller
     * itself, and the answer is still delivered; once an answer streams, the caller left it, and both
     * connections close.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof ChannelInputShutdownEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        inputShut = true;
        closeAfter = true;
        Backend b = backend;
        switch (state) {
            case WAITING, DISCARDING, CLOSING -> {
                var _ = ctx.close();
            }
            case GATHERING -> {
                releaseGathered();
                refuse(400);
            }
            case RELAYING -> {
                if (answerStarted) {
                    var _ = ctx.close(); // it left a stream it was reading
                } else if (b != null && (requestDone || inbox.isEmpty())) {
                    stoppedSending(b);
                }
            }
            case PIPE -> {
                if (b != null) {
                    b.shutdownOutput();
                }
            }
            case SERVING, HANDED_OVER -> {
                // answered, then closed
            }
        }
    }

    /** The relayed request ends where the caller stopped: Javalin's connection is half-closed there. */
    private void stoppedSending(Backend b) {
        requestDone = true;
        b.shutdownOutput();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        var _ = ctx.close();
    }
}
