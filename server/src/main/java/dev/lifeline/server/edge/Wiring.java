package dev.lifeline.server.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** What every connection of one edge shares: its routes, its timeout, the way to Javalin. */
final class Wiring {
    private final EdgeRoute[] routes;
    private final IntFunction<byte[]> errorBody;
    private final Function<@Nullable String, Map<String, String>> originHeaders;
    final long idleTimeoutNanos;
    final long maxRelayedBody;
    final InetSocketAddress javalin;
    final Class<? extends SocketChannel> socketType;

    Wiring(
            List<EdgeRoute> routes,
            EdgeSettings settings,
            InetSocketAddress javalin,
            Class<? extends SocketChannel> socketType,
            IntFunction<byte[]> errorBody,
            Function<@Nullable String, Map<String, String>> originHeaders) {
        this.routes = routes.toArray(EdgeRoute[]::new);
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.maxRelayedBody = settings.maxRelayedBody();
        this.javalin = javalin;
        this.socketType = socketType;
        this.errorBody = errorBody;
        this.originHeaders = originHeaders;
    }

    /** The first route that claims {@code head}, if any. */
    @Nullable
    EdgeRoute routeFor(HttpRequest head) {
        for (EdgeRoute route : routes) {
            if (route.claims(head)) {
                return route;
            }
        }
        return null;
    }

    /**
     * The edge's own answer with {@code status} to a request from {@code origin} (null when it named
     * none or its head could not be read): a JSON error, after which the connection closes.
     */
    FullHttpResponse error(int status, @Nullable String origin) {
        FullHttpResponse answer = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(errorBody.apply(status)));
        answer.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        originHeaders.apply(origin).forEach(answer.headers()::set);
        return answer;
    }
}
