import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.Set;

/**
 * The floor of Lifeline's A2A lane, for bench/proxy.sh: the same Netty (epoll, one event loop per
 * core, HTTP/1.1 codecs) forwarding every request to one agent over a kept connection of its own on the
 * same event loop, whole bodies relayed, hop-by-hop headers dropped, a call sent once more when the
 * agent ends a kept connection before answering it, and nothing else: no authentication, policy,
 * payload check, deadline, activity row, event or metric.
 *   java -cp server/target/lifeline.jar bench/BareNettyProxy.java <port> <agent url>
 */
public class BareNettyProxy {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI agent = URI.create(args[1]);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
        new ServerBootstrap()
                .group(loops)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Inbound(agent));
                    }
                })
                .bind("127.0.0.1", port)
                .sync();
        System.out.println("bare Netty proxy on 127.0.0.1:" + port + " -> " + agent);
    }

    private static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
        from.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    /** One caller's connection and the agent connection it keeps on the same event loop. */
    private static final class Inbound extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final URI agent;
        private ChannelHandlerContext caller;
        private Channel upstream;
        private FullHttpRequest pending;
        private boolean keepAlive;
        private boolean sentAgain;

        Inbound(URI agent) {
            this.agent = agent;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            caller = ctx;
            keepAlive = HttpUtil.isKeepAlive(request);
            FullHttpRequest out = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, request.method(), agent.getRawPath(), request.content().retain());
            copyEndToEnd(request.headers(), out.headers());
            out.headers().set(HttpHeaderNames.HOST, agent.getAuthority());
            HttpUtil.setContentLength(out, out.content().readableBytes());
            pending = out;
            sentAgain = false;
            send();
        }

        private void send() {
            if (upstream != null && upstream.isActive()) {
                upstream.writeAndFlush(pending.retainedDuplicate());
                return;
            }
            new Bootstrap()
                    .group(caller.channel().eventLoop())
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpClientCodec(), new HttpObjectAggregator(10 << 20), new Outbound(Inbound.this));
                        }
                    })
                    .connect(agent.getHost(), agent.getPort())
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY));
                            return;
                        }
                        if (pending == null) { // the caller left while the connection was being opened
                            connected.channel().close();
                            return;
                        }
                        upstream = connected.channel();
                        upstream.writeAndFlush(pending.retainedDuplicate());
                    });
        }

        void answered(FullHttpResponse response) {
            FullHttpResponse out = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, response.status(), response.content().retain());
            copyEndToEnd(response.headers(), out.headers());
            HttpUtil.setContentLength(out, out.content().readableBytes());
            answer(out);
        }

        /** The agent ended the connection: a call it had not answered is sent once more on a new one. */
        void upstreamEnded(Channel ended) {
            if (ended != upstream) {
                return;
            }
            upstream = null;
            if (pending != null && !sentAgain) {
                sentAgain = true;
                send();
            } else if (pending != null) {
                answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY));
            }
        }

        private void answer(FullHttpResponse response) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = caller.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.close();
            }
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }

    private static final class Outbound extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Inbound inbound;

        Outbound(Inbound inbound) {
            this.inbound = inbound;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            inbound.answered(response);
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.upstreamEnded(ctx.channel());
        }
    }
}
