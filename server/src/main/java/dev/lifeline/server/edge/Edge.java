package dev.lifeline.server.edge;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The server's front door: it owns the public port, serves its {@link EdgeRoute}s on its event
 * loops and relays every other request to Javalin over loopback, with the caller's address in a
 * PROXY protocol header.
 */
public interface Edge extends AutoCloseable {

    /**
     * Binds the public port, so that its number is known and no one else can take it, and accepts
     * nothing yet: callers wait in the kernel's queue until {@link #open}.
     */
    static Edge bind(EdgeSettings settings) {
        return NettyEdge.bind(settings);
    }

    /**
     * Starts serving.
     *
     * @param javalin where Javalin listens, accepting the PROXY protocol
     * @param errorBody the JSON body of the answer the edge itself gives with a status (a request it
     *     cannot decode, a claimed body that stalls, Javalin out of reach)
     * @param originHeaders the headers that answer carries for a request from an {@code Origin} (null
     *     when it named none or its head could not be read): the CORS headers that let a page of an
     *     allowed origin read the error rather than see the call fail
     */
    void open(
            List<EdgeRoute> routes,
            InetSocketAddress javalin,
            IntFunction<byte[]> errorBody,
            Function<@Nullable String, Map<String, String>> originHeaders);

    /** The port it listens on. */
    int port();

    /** Stops accepting, closes every connection and stops its threads. */
    @Override
    void close();
}
