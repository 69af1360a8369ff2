package dev.lifeline.server.edge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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

    private NettyEdge(EventLoopGroup group, Channel listener, ChannelGroup connections) {
        this.group = group;
        this.listener = listener;
        this.connections = connections;
    }

    static NettyEdge start(
            EdgeSettings settings, List<EdgeRoute> routes, InetSocketAddress javalin, IntFunction<byte[]> errorBody) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                settings.threads(), new DefaultThreadFactory("lifeline-edge", true), io);
        Class<? extends ServerChannel> serverType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> socketType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        ChannelGroup connections = new DefaultChannelGroup("lifeline-edge", GlobalEventExecutor.INSTANCE);
        Wiring wiring = new Wiring(routes, settings, javalin, socketType, errorBody);
        HttpDecoderConfig decoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_LINE)
                .setMaxHeaderSize(MAX_HEAD)
                .setMaxChunkSize(MAX_CHUNK);
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, settings.acceptQueue())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // a caller that shuts its side after a request still reads the answer
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    // reads are asked for one request at a time, and for the body only while Javalin keeps up
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(new HttpServerCodec(decoding)).addLast(new Front(wiring));
                        }
                    })
                    .bind(settings.bind(), settings.port())
                    .syncUninterruptibly()
                    .channel();
            log.info(
                    "the edge listens on {}:{} with {} event loops on {}",
                    settings.bind(),
                    settings.port(),
                    settings.threads(),
                    epoll ? "epoll" : "NIO");
            return new NettyEdge(group, listener, connections);
        } catch (RuntimeException e) {
            var _ = group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            throw e;
        }
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
