package dev.lifeline.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An agent on a keep-alive HTTP/1.1 server that answers every call with the scripted status,
 * headers and body, or the start of an event stream, or not at all while it is silent; it counts the connections it accepted.
 */
final class NettyAgent implements AutoCloseable {
    /** What the agent received: the request's headers and body. */
    @SuppressWarnings("ArrayRecordComponent") // compared by the tests with its contents
    record Received(Map<String, String> headers, byte[] body) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile Map<String, String> headers = Map.of("Content-Type", "application/json");
    private volatile byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
    private volatile boolean silent;
    private volatile boolean hints;
    private volatile int answeredPerConnection = Integer.MAX_VALUE;
    private volatile byte @Nullable [] streamStart;
    private volatile boolean streamDrops;

    NettyAgent() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.incrementAndGet();
                        open.incrementAndGet();
                        var _ = channel.closeFuture().addListener(closed -> open.decrementAndGet());
                        channel.pipeline()
                                .addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answers());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync()
                .channel();
    }

    /** An agent listening on a free loopback port. */
    static NettyAgent start() {
        try {
            return new NettyAgent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    NettyAgent answering(int newStatus, Map<String, String> newHeaders, byte[] newBody) {
        this.headers = newHeaders;
        this.body = newBody.clone();
        this.status = newStatus;
        return this;
    }

    /** From now on the agent sends an interim 103 answer before each final one. */
    NettyAgent hinting() {
        this.hints = true;
        return this;
    }

    /**
     * From now on the agent ends a connection, without answering, when a call comes on it after it
     * answered {@code calls} there: with 1, what an agent does that closes kept-alive connections as
     * idle just as a call goes out; with 0, an agent that drops every call.
     */
    NettyAgent ending(int calls) {
        this.answeredPerConnection = calls;
        return this;
    }

    /**
     * From now on the agent answers each call with an event stream that starts with {@code first}
     * and then stays open and silent, or, when {@code drops}, breaks off there: the connection closes.
     */
    NettyAgent streaming(byte[] first, boolean drops) {
        this.streamDrops = drops;
        this.streamStart = first.clone();
        return this;
    }

    /** From now on the agent reads calls and never answers them. */
    NettyAgent silent() {
        this.silent = true;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/";
    }

    int connections() {
        return connections.get();
    }

    /** How many connections are open now. */
    int openConnections() {
        return open.get();
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answers extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int answered;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (answered >= answeredPerConnection) {
                var _ = ctx.close();
                return;
            }
            answered++;
            Map<String, String> seen = new java.util.LinkedHashMap<>();
            request.headers().forEach(h -> seen.put(h.getKey(), h.getValue()));
            received.add(new Received(seen, ByteBufUtil.getBytes(request.content())));
            if (silent) {
                return;
            }
            if (hints) {
                FullHttpResponse early =
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103));
                early.headers().set("Link", "</style.css>; rel=preload");
                var _ = ctx.write(early);
            }
            byte[] first = streamStart;
            if (first != null) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
                HttpUtil.setTransferEncodingChunked(head, true);
                var _ = ctx.write(head);
                var written = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(first)));
                if (streamDrops) {
                    var _ = written.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
            headers.forEach(response.headers()::set);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            var _ = ctx.writeAndFlush(response);
        }
    }
}
