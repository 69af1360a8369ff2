package dev.lifeline.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * One request an {@link EdgeRoute} serves. The route answers on {@link #channel()}, from any thread:
 * one {@code FullHttpResponse}, or an {@code HttpResponse} followed by contents ending with a {@code
 * LastHttpContent}. The edge reads the connection's next request only after that last write, and
 * closes the connection after it when the request asked for that. Before writing anything, the route
 * may instead {@link #relay()} the request to Javalin, which then answers it.
 */
public interface EdgeExchange {

    /** The whole request; the edge releases it after the answer or the relay. */
    FullHttpRequest request();

    /** The caller's connection. */
    Channel channel();

    /** Has Javalin serve this request instead; only before anything was written. */
    void relay();

    /**
     * Answers with {@code switching} (a 101) and, once it is written, hands the connection to {@code
     * then}: HTTP's handlers leave the pipeline and {@code then} reads and writes the bytes that
     * follow. Only before anything was written.
     */
    void upgrade(FullHttpResponse switching, ChannelHandler then);
}
