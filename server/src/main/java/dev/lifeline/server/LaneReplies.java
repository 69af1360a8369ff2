package dev.lifeline.server;

import dev.lifeline.proxy.ProxyReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answers of {@link A2aLane}, with the headers {@link A2aEndpoint} gives the same answers: the
 * agent's headers that pass back, its {@code Vary} added to Lifeline's {@code Vary: Origin}, and
 * {@code X-Content-Type-Options: nosniff} on the agent's own answers.
 */
final class LaneReplies {
    private LaneReplies() {}

    /** The agent's whole answer; takes ownership of {@code body}. */
    static FullHttpResponse relayed(int status, String contentType, ByteBuf body, Map<String, String> passed) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        HttpHeaders headers = response.headers();
        passBack(headers, passed);
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** A reply the proxy composed or judged. */
    static FullHttpResponse of(ProxyReply reply) {
        return switch (reply) {
            case ProxyReply.Relayed r ->
                relayed(r.status(), r.contentType(), Unpooled.wrappedBuffer(r.body()), r.headers());
            case ProxyReply.Refused r -> {
                ByteBuf body = Unpooled.wrappedBuffer(Json.write(r.body()).getBytes(StandardCharsets.UTF_8));
                FullHttpResponse response =
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), body);
                HttpHeaders headers = response.headers();
                headers.set(HttpHeaderNames.VARY, "Origin");
                r.headers().forEach(headers::set);
                headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                yield response;
            }
            case ProxyReply.Streamed s -> throw new IllegalArgumentException("the lane relays streams itself");
        };
    }

    /** The head of an event stream relayed as it arrives. */
    static HttpResponse streamHead(int status, Map<String, String> passed) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        headers.set("X-Accel-Buffering", "no");
        passBack(headers, passed);
        HttpUtil.setTransferEncodingChunked(response, true);
        return response;
    }

    private static void passBack(HttpHeaders headers, Map<String, String> passed) {
        headers.set(HttpHeaderNames.VARY, "Origin");
        passed.forEach((name, value) -> {
            if (HttpHeaderNames.VARY.contentEqualsIgnoreCase(name)) {
                headers.add(HttpHeaderNames.VARY, value);
            } else {
                headers.set(name, value);
            }
        });
        headers.set("X-Content-Type-Options", "nosniff");
    }
}
