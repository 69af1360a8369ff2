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
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keep-alive HTTP/1.1 connections to agents, pooled per event loop and per agent address, so a
 * call and its connection live on one thread. A connection is opened on the loop that asks for it;
 * an idle one that is not used again within the idle window is closed, and one the agent closed is
 * never handed out. Every method is called on the loop it names.
 */
final class AgentConnections {
    /** What one connection is busy with; a connection with none is idle. */
    interface Exchange {
        void read(Object message);

        void closed();

        void failed(Throwable cause);
    }

    private final Duration connectTimeout;
    private final Duration idleWindow;
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

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
        ArrayDeque<Channel> kept = idle.get().get(address);
        while (kept != null && !kept.isEmpty()) {
            Channel channel = kept.pollLast();
            if (channel.isActive()) {
                handler(channel).exchange = exchange;
                ready.accept(channel);
                return;
            }
        }
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
        long parked = ++connection.parkings;
        idle.get().computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(channel);
        var _ = channel.eventLoop()
                .schedule(
                        () -> {
                            if (connection.exchange == null && connection.parkings == parked) {
                                var _ = channel.close();
                            }
                        },
                        idleWindow.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Ends a connection that is not to be used again. */
    static void discard(Channel channel) {
        handler(channel).exchange = null;
        var _ = channel.close();
    }

    private static Connection handler(Channel channel) {
        return (Connection) channel.pipeline().last();
    }

    private static Class<? extends SocketChannel> channelType(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)
                ? EpollSocketChannel.class
                : NioSocketChannel.class;
    }

    /** Passes what a connection reads to its exchange; anything read while idle ends the connection. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private @Nullable Exchange exchange;
        private long parkings;

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
