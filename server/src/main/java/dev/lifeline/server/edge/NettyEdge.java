package dev.lifeline.server.edge;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The edge on Netty: epoll where the platform has it, else NIO. */
final class NettyEdge implements Edge {
    private static final Logger log = LoggerFactory.getLogger(NettyEdge.class);
    /** Jetty's limits: a request line or a head over 8 KiB is refused. */
    private static final int MAX_LINE = 8192;

    private static final int MAX_HEAD = 8192;
    private static final int MAX_CHUNK = 16 * 1024;
    private static final long STOP_TIMEOUT_MILLIS = 2000;

    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup connections;
    private final EdgeSettings settings;
    private final Class<? extends SocketChannel> socketType;
    /** Set once by {@link #open}, before the first connection is accepted. */
    private volatile @Nullable Wiring wiring;

    private NettyEdge(
            EventLoopGroup group,
            Channel listener,
            ChannelGroup connections,
            EdgeSettings settings,
            Class<? extends SocketChannel> socketType) {
        this.group = group;
        this.listener = listener;
        this.connections = connections;
        this.settings = settings;
        this.socketType = socketType;
    }

    static NettyEdge bind(EdgeSettings settings) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                settings.threads(), new DefaultThreadFactory("lifeline-edge", true), io);
        Class<? extends ServerChannel> serverType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> socketType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        ChannelGroup connections = new DefaultChannelGroup("lifeline-edge", GlobalEventExecutor.INSTANCE);
        HttpDecoderConfig decoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_LINE)
                .setMaxHeaderSize(MAX_HEAD)
                .setMaxChunkSize(MAX_CHUNK);
        AtomicReference<@Nullable NettyEdge> edge = new AtomicReference<>();
        try {
            ChannelFuture binding = new ServerBootstrap()
                    .group(group)
                    .channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, settings.acceptQueue())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // nothing is accepted until open() has the routes and Javalin's address
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // a caller that shuts its side after a request still reads the answer
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    // reads are asked for one request at a time, and for the body only while Javalin keeps up
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline()
                                    .addLast(new HttpServerCodec(decoding))
                                    .addLast(
                                            new Front(requireNonNull(edge.get()).wired()));
                        }
                    })
                    .bind(settings.bind(), settings.port())
                    .awaitUninterruptibly();
            if (!binding.isSuccess()) {
                throw new UncheckedIOException(
                        "cannot listen on " + settings.bind() + ":" + settings.port(),
                        binding.cause() instanceof IOException failed ? failed : new IOException(binding.cause()));
            }
            Channel listener = binding.channel();
            NettyEdge bound = new NettyEdge(group, listener, connections, settings, socketType);
            edge.set(bound);
            log.info(
                    "the edge holds {}:{} with {} event loops on {}",
                    settings.bind(),
                    bound.port(),
                    settings.threads(),
                    epoll ? "epoll" : "NIO");
            return bound;
        } catch (RuntimeException e) {
            var _ = group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    @Override
    public void open(
            List<EdgeRoute> routes,
            InetSocketAddress javalin,
            IntFunction<byte[]> errorBody,
            Function<@Nullable String, Map<String, String>> originHeaders) {
        if (wiring != null) {
            throw new IllegalStateException("the edge is open already");
        }
        wiring = new Wiring(routes, settings, javalin, socketType, errorBody, originHeaders);
        listener.config().setAutoRead(true);
    }

    private Wiring wired() {
        return requireNonNull(wiring, "a connection was accepted before the edge opened");
    }

    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        connections.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * STOP_TIMEOUT_MILLIS);
    }
}
