package dev.lifeline.server;

import dev.lifeline.server.edge.EdgeExchange;
import dev.lifeline.server.edge.EdgeRoute;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /registry/heartbeat} served by the edge: every agent sends one every 30 s, so a fleet's
 * heartbeats are most of the server's requests, and the servlet and Javalin layers cost more than
 * the heartbeat itself. The request is read on the event loop and taken on {@code blocking} (it
 * reads and writes the store), by the same code as the Javalin route ({@link
 * RegistryRoutes#heartbeat(String, byte[])}), and errors are answered from the same table. A request
 * from a browser ({@code Origin}) is relayed, so that CORS stays in one place.
 */
final class HeartbeatRoute implements EdgeRoute {
    static final String PATH = "/registry/heartbeat";

    private final RegistryRoutes registry;
    private final Executor blocking;
    private final int maxBodyBytes;

    HeartbeatRoute(RegistryRoutes registry, Executor blocking, int maxBodyBytes) {
        this.registry = registry;
        this.blocking = blocking;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean claims(HttpRequest head) {
        String uri = head.uri();
        return head.method().equals(HttpMethod.POST)
                && (uri.equals(PATH) || uri.startsWith(PATH + "?"))
                && !head.headers().contains(HttpHeaderNames.ORIGIN);
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public void serve(EdgeExchange exchange) {
        FullHttpRequest request = exchange.request();
        Channel channel = exchange.channel();
        if (request.content().readableBytes() > maxBodyBytes) {
            ApiErrors.Answer answer = ApiErrors.stackAnswer(413);
            var _ = channel.writeAndFlush(json(answer.status(), Json.write(answer.body()), true));
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] body = ByteBufUtil.getBytes(request.content());
        blocking.execute(() -> {
            var _ = channel.writeAndFlush(take(authorization, body));
        });
    }

    private FullHttpResponse take(@Nullable String authorization, byte[] body) {
        try {
            registry.heartbeat(authorization, body);
            return json(200, RegistryRoutes.HEARTBEAT_TAKEN, false);
        } catch (Exception e) {
            ApiErrors.Answer answer = ApiErrors.answer(e, "POST", PATH);
            return json(answer.status(), Json.write(answer.body()), false);
        }
    }

    private static FullHttpResponse json(int status, String body, boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
