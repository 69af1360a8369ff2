package dev.lifeline.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keep-alive HTTP/1.1 connections to agents, pooled per event loop and per agent address, so a
 * call and its connection live on one thread. A connection is opened on the loop that asks for it.
 * A call takes the connection that has been idle longest, so each connection rests as long as the
 * traffic allows between calls: an agent whose server still tidies a connection after its answer
 * (the JDK's HTTP server hands it back to its selector thread first) is not sent the next call on
 * it before that is done. So that this does not keep every connection of a past burst alive,
 * connections that no call needed for a whole idle window are closed: as many as were never all in
 * use at once in it. One that is not used within the idle window, or that the agent closed, is
 * never handed out. Every method is called on the loop it names.
 */
final class AgentConnections {
    /** What one connection is busy with; a connection with none is idle. */
    interface Exchange {
        void read(Object message);

        void closed();

        void failed(Throwable cause);
    }

    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("lifeline-agent-connection");

    private final Duration connectTimeout;
    private final Duration idleWindow;
    private final FastThreadLocal<Idle> idle = new FastThreadLocal<>() {
        @Override
        protected Idle initialValue() {
            return new Idle();
        }
    };

    /** One event loop's idle connections, by agent address. */
    private static final class Idle {
        private final Map<InetSocketAddress, Kept> byAgent = new HashMap<>();
        private boolean swept;
    }

    /** One agent's idle connections on one loop, the longest idle first. */
    private static final class Kept {
        private final ArrayDeque<Channel> channels = new ArrayDeque<>();
        /** The fewest idle at any moment since the last sweep: connections that no call needed meanwhile. */
        private int fewestIdle;
    }

    AgentConnections(Duration connectTimeout, Duration idleWindow) {
        this.connectTimeout = connectTimeout;
        this.idleWindow = idleWindow;
    }

    /**
     * Hands {@code exchange} an idle connection to {@code address}, or opens one; {@code refused}
     * hears of a connection that could not be opened, before anything was written to it.
     */
    void acquire(
            EventLoop loop,
            InetSocketAddress address,
            Exchange exchange,
            Consumer<Channel> ready,
            Consumer<Throwable> refused) {
        Kept kept = idle.get().byAgent.get(address);
        while (kept != null && !kept.channels.isEmpty()) {
            Channel channel = kept.channels.pollFirst();
            kept.fewestIdle = Math.min(kept.fewestIdle, kept.channels.size());
            if (usable(channel, System.nanoTime())) {
                handler(channel).exchange = exchange;
                ready.accept(channel);
                return;
            }
            discard(channel);
        }
        connect(loop, address, exchange, ready, refused);
    }

    /** As {@link #acquire}, on a new connection whatever is kept. */
    void connect(
            EventLoop loop,
            InetSocketAddress address,
            Exchange exchange,
            Consumer<Channel> ready,
            Consumer<Throwable> refused) {
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(channelType(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        Connection connection = new Connection();
                        connection.exchange = exchange;
                        channel.attr(CONNECTION).set(connection);
                        channel.pipeline().addLast(new HttpClientCodec(), connection);
                    }
                })
                .connect(address);
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                ready.accept(connecting.channel());
            } else {
                refused.accept(done.cause());
            }
        });
    }

    /** Takes back a connection whose exchange ended cleanly, for the next call to its agent. */
    void release(Channel channel, InetSocketAddress address) {
        Connection connection = handler(channel);
        connection.exchange = null;
        if (!channel.isActive()) {
            return;
        }
        connection.parkedAt = System.nanoTime();
        connection.kept = true;
        Idle mine = idle.get();
        mine.byAgent.computeIfAbsent(address, a -> new Kept()).channels.addLast(channel);
        if (!mine.swept) {
            mine.swept = true;
            long every = idleWindow.toNanos();
            var _ = channel.eventLoop().scheduleAtFixedRate(() -> sweep(mine), every, every, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Closes the connections of one loop that no call needed since the last sweep (the longest idle
     * first), those idle for the whole idle window, and those the agent closed.
     */
    private void sweep(Idle mine) {
        long now = System.nanoTime();
        mine.byAgent.values().removeIf(kept -> {
            int unneeded = kept.fewestIdle;
            while (!kept.channels.isEmpty() && (unneeded > 0 || !usable(kept.channels.getFirst(), now))) {
                discard(kept.channels.removeFirst());
                unneeded--;
            }
            kept.fewestIdle = kept.channels.size();
            return kept.channels.isEmpty();
        });
    }

    /** Whether a kept connection may carry a call: the agent has not closed it and it has not idled out. */
    private boolean usable(Channel channel, long now) {
        return channel.isActive() && now - handler(channel).parkedAt < idleWindow.toNanos();
    }

    /** Whether the connection was kept from an earlier call, rather than opened for the current one. */
    static boolean reused(Channel channel) {
        return handler(channel).kept;
    }

    /** Ends a connection that is not to be used again. */
    static void discard(Channel channel) {
        handler(channel).exchange = null;
        var _ = channel.close();
    }

    /** The connection's handler; kept as an attribute, since a closed channel's pipeline is emptied. */
    private static Connection handler(Channel channel) {
        return Objects.requireNonNull(channel.attr(CONNECTION).get());
    }

    private static Class<? extends SocketChannel> channelType(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)
                ? EpollSocketChannel.class
                : NioSocketChannel.class;
    }

    /** Passes what a connection reads to its exchange; anything read while idle ends the connection. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private @Nullable Exchange exchange;
        private long parkedAt;
        private boolean kept;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Exchange current = exchange;
            if (current == null) {
                ReferenceCountUtil.release(message);
                var _ = ctx.close();
                return;
            }
            current.read(message);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange current = exchange;
            if (current != null) {
                current.closed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange current = exchange;
            var _ = ctx.close();
            if (current != null) {
                current.failed(cause);
            }
        }
    }
}
