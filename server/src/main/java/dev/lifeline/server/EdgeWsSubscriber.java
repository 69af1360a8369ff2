package dev.lifeline.server;

import dev.lifeline.core.PublishedEvent;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One {@code /ws} subscriber on the edge, after its 101: each event's frame, built once for all
 * subscribers ({@link WsFeed.Frame#wire}), is queued from the bus's thread and written on the
 * connection's event loop, with one flush for whatever queued meanwhile. What the subscriber has not
 * yet taken is bounded as on Javalin's route ({@link PendingSends}): past it, the subscriber is cut
 * off and counted, and reconnects. A ping goes out every {@code keepAlive} through the same queue, so
 * a quiet feed stays open through proxies and a subscriber that vanished is noticed; the
 * subscriber's pings are answered and its close is echoed; anything else it sends is dropped. A
 * subscriber that accepted {@link PerMessageDeflate} gets each event's frame compressed (once for
 * all such subscribers); anything it sends is still dropped unread, compressed or not.
 */
final class EdgeWsSubscriber extends ChannelInboundHandlerAdapter implements FanOut.Feed<WsFeed.Frame> {
    /** The most a subscriber may send in one frame: it has nothing to say but pings and a close. */
    private static final int MAX_INBOUND_FRAME = 64 * 1024;
    /** A ping's two bytes, queued like a frame. */
    private static final Object PING = new Object();

    private static final long PING_BYTES = 2;

    private final PendingSends pending;
    private final Duration keepAlive;
    private final FanOut<WsFeed.Frame> feeds;
    private final Runnable onCutOff;
    private final boolean compressed;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Queue<Object> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile @Nullable Channel channel;
    private @Nullable ScheduledFuture<?> pinging;

    private EdgeWsSubscriber(
            PendingSends pending,
            Duration keepAlive,
            FanOut<WsFeed.Frame> feeds,
            Runnable onCutOff,
            boolean compressed) {
        this.pending = pending;
        this.keepAlive = keepAlive;
        this.feeds = feeds;
        this.onCutOff = onCutOff;
        this.compressed = compressed;
    }

    /**
     * A new subscriber's handlers: the WebSocket framing, then the subscriber, which joins {@code
     * feeds}; {@code compressed} when its handshake accepted {@link PerMessageDeflate}.
     */
    static ChannelHandler handlers(
            PendingSends pending,
            Duration keepAlive,
            FanOut<WsFeed.Frame> feeds,
            Runnable onCutOff,
            boolean compressed) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                                .expectMaskedFrames(true)
                                .allowExtensions(compressed)
                                .maxFramePayloadLength(MAX_INBOUND_FRAME)
                                .build()))
                        .addLast(new WebSocket13FrameEncoder(false))
                        .addLast(new EdgeWsSubscriber(pending, keepAlive, feeds, onCutOff, compressed));
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        long every = keepAlive.toNanos();
        pinging =
                ctx.executor().scheduleAtFixedRate(() -> enqueue(PING, PING_BYTES), every, every, TimeUnit.NANOSECONDS);
        feeds.add(this);
        if (!ctx.channel().isActive()) {
            var _ = leave();
        }
    }

    @Override
    public boolean wants(PublishedEvent event) {
        return open.get();
    }

    @Override
    public void send(WsFeed.Frame frame) {
        if (compressed) {
            frame.compress(); // on the bus's thread, not on an event loop
        }
        enqueue(frame, frame.bytes());
    }

    private void enqueue(Object item, long size) {
        if (!open.get()) {
            return;
        }
        if (!pending.admit(size)) {
            cutOff();
            return;
        }
        queued.add(item);
        Channel ch = channel;
        if (ch != null && draining.compareAndSet(false, true)) {
            ch.eventLoop().execute(drain);
        }
    }

    /** Writes what is queued, on the event loop, and flushes once. */
    private void drain() {
        draining.set(false);
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        for (Object item = queued.poll(); item != null; item = queued.poll()) {
            if (item instanceof WsFeed.Frame frame) {
                long size = frame.bytes();
                var _ = ch.write(frame.wire(compressed))
                        .addListener((ChannelFutureListener) written -> pending.done(size));
            } else {
                var _ = ch.write(new PingWebSocketFrame())
                        .addListener((ChannelFutureListener) written -> pending.done(PING_BYTES));
            }
        }
        var _ = ch.flush();
    }

    private void cutOff() {
        Channel ch = channel;
        if (ch != null && leave()) {
            onCutOff.run();
            var _ = ch.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame ping) {
            var _ = ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (msg instanceof CloseWebSocketFrame close) {
            var _ = leave();
            var _ = ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        var _ = leave();
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        var _ = ctx.close();
    }

    /** Stops taking events, what is queued still going out; false if it had stopped already. */
    private boolean leave() {
        if (!open.compareAndSet(true, false)) {
            return false;
        }
        feeds.remove(this);
        ScheduledFuture<?> p = pinging;
        if (p != null) {
            p.cancel(false);
        }
        return true;
    }
}
