package dev.lifeline.server;

import dev.lifeline.server.edge.EdgeExchange;
import dev.lifeline.server.edge.EdgeRoute;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /ws} served by the edge: the canvas's event feed. Every event goes to every subscriber,
 * a fleet's heartbeats alone are hundreds a second, and a feed relayed from Javalin costs each
 * frame two more socket crossings and the servlet WebSocket's framing; here each event's frame is
 * built once and written to every subscriber's connection. The caller is admitted by the same rule as
 * Javalin's route ({@link Auth#requireAdminOnEventStream}); a request it does not admit, or a
 * handshake it cannot complete, is relayed, so that Javalin gives every refusal as before. A client
 * that offers {@link PerMessageDeflate} in a form the edge can accept (a browser does) gets its
 * frames compressed; any other gets them as they are.
 */
final class WsRoute implements EdgeRoute {
    static final String PATH = "/ws";
    /** RFC 6455 1.3: appended to the client's key before hashing. */
    private static final String HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Auth auth;
    private final Subscribers subscriber;

    /** A new subscriber's handlers, which take its connection after the 101. */
    interface Subscribers {
        /** @param compressed whether the handshake accepted {@link PerMessageDeflate} */
        ChannelHandler handlers(boolean compressed);
    }

    WsRoute(Auth auth, Subscribers subscriber) {
        this.auth = auth;
        this.subscriber = subscriber;
    }

    @Override
    public boolean claims(HttpRequest head) {
        HttpHeaders headers = head.headers();
        String uri = head.uri();
        return head.method().equals(HttpMethod.GET)
                && (uri.equals(PATH) || uri.startsWith(PATH + "?"))
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && "13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                && HttpUtil.getContentLength(head, 0L) == 0
                && !HttpUtil.isTransferEncodingChunked(head);
    }

    @Override
    public int maxBodyBytes() {
        return 0;
    }

    @Override
    public void serve(EdgeExchange exchange) {
        FullHttpRequest request = exchange.request();
        HttpHeaders headers = request.headers();
        List<String> tokens = new QueryStringDecoder(request.uri()).parameters().get("token");
        try {
            auth.requireAdminOnEventStream(
                    request.method().name(), headers::get, tokens == null || tokens.isEmpty() ? null : tokens.get(0));
        } catch (RuntimeException refused) {
            exchange.relay();
            return;
        }
        FullHttpResponse switching =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching
                .headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept(headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY)));
        boolean compressed = PerMessageDeflate.offered(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
        if (compressed) {
            switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, PerMessageDeflate.ACCEPTED);
        }
        exchange.upgrade(switching, subscriber.handlers(compressed));
    }

    /** The {@code Sec-WebSocket-Accept} for a client's key (RFC 6455 4.2.2). */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key.trim() + HANDSHAKE_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
