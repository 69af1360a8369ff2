package dev.lifeline.server.edge;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A route the edge serves on its own event loop instead of relaying the request to Javalin.
 *
 * <p>The edge asks {@link #claims} with the request's head. A claimed request's body is gathered
 * whole, up to one byte more than {@link #maxBodyBytes} (so the route can tell a body too large),
 * and handed to {@link #serve} on the connection's event loop. The route then either answers it or
 * hands it back with {@link EdgeExchange#relay()}, and must not block the event loop either way.
 */
public interface EdgeRoute {

    /** Whether this route serves a request with this head; decided from the head alone, without blocking. */
    boolean claims(HttpRequest head);

    /** The largest body the route accepts. */
    int maxBodyBytes();

    /** Serves one whole request; called on the connection's event loop. */
    void serve(EdgeExchange exchange);
}
