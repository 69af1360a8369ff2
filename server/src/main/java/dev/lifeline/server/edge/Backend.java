package dev.lifeline.server.edge;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * One caller connection's connection to Javalin, on the caller's event loop. It starts with a PROXY
 * protocol header naming the caller, carries that caller's relayed requests one at a time, and hands
 * every part of an answer to its {@link Front} as it arrives.
 */
final class Backend extends ChannelInboundHandlerAdapter {
    /** Javalin's answers are trusted: their heads are not validated again. */
    private static final HttpDecoderConfig DECODING = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(64 * 1024)
            .setMaxChunkSize(64 * 1024)
            .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false));

    private final Front front;
    private final Channel channel;
    private @Nullable Object pending;
    private boolean shutWhenConnected;

    private Backend(Front front, Channel caller, Wiring wiring) {
        this.front = front;
        ChannelFuture connecting = new Bootstrap()
                .group(caller.eventLoop())
                .channel(wiring.socketType)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(this)
                .connect(wiring.javalin);
        this.channel = connecting.channel();
        connecting.addListener(f -> connected(f.isSuccess(), caller));
    }

    /** Opens a connection to Javalin for {@code caller}. */
    static Backend open(Front front, Channel caller, Wiring wiring) {
        return new Backend(front, caller, wiring);
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addBefore(ctx.name(), null, new HttpClientCodec(DECODING, false, false));
        ctx.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
    }

    /** Sends a request's head (or the whole request); held until the connection is up. */
    void send(Object head, boolean last) {
        if (channel.isActive()) {
            write(head, last);
        } else {
            pending = head;
        }
    }

    /** Writes a part of a request; flushed with the last or once no further part is at hand. */
    void write(Object part, boolean last) {
        if (last) {
            var _ = channel.writeAndFlush(part, channel.voidPromise());
        } else {
            var _ = channel.write(part, channel.voidPromise());
            front.wantBody();
        }
    }

    private void connected(boolean success, Channel caller) {
        Object head = pending;
        pending = null;
        if (!success) {
            ReferenceCountUtil.release(head);
            front.javalinUnreachable();
            return;
        }
        var _ = channel.write(proxyHeader(caller), channel.voidPromise());
        channel.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
        if (head != null) {
            write(head, front.requestDone());
        } else {
            channel.flush();
        }
        if (shutWhenConnected) {
            shutdownOutput();
        }
    }

    /** After a 101, first: requests are no longer encoded. */
    void dropEncoder() {
        channel.pipeline().get(HttpClientCodec.class).removeOutboundHandler();
    }

    /** After a 101: the HTTP codec leaves and bytes pass as they are. */
    void becomePipe() {
        channel.pipeline().remove(HttpClientCodec.class);
    }

    /** Half-closes, once the connection is up and what waits to be written is. */
    void shutdownOutput() {
        if (channel.isActive()) {
            var _ = ((DuplexChannel) channel).shutdownOutput();
        } else {
            shutWhenConnected = true;
        }
    }

    void close() {
        var _ = channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        front.answerPart(this, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        front.flushAnswer();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        front.javalinWritable(this, ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        front.javalinClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        var _ = ctx.close();
    }

    /** The caller's address and the edge's own, as the PROXY protocol's second version carries them. */
    private static HAProxyMessage proxyHeader(Channel caller) {
        InetSocketAddress source = (InetSocketAddress) caller.remoteAddress();
        InetSocketAddress destination = (InetSocketAddress) caller.localAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(
                HAProxyProtocolVersion.V2,
                HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(source.getAddress(), v4),
                text(destination.getAddress(), v4),
                source.getPort(),
                destination.getPort());
    }

    private static String text(InetAddress address, boolean v4) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return v4 || text.indexOf(':') >= 0 ? text : "::ffff:" + text;
    }
}
