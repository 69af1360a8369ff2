package dev.lifeline.server.edge;

import java.time.Duration;

/**
 * How the edge listens.
 *
 * @param acceptQueue the listen backlog (capped by the kernel's {@code net.core.somaxconn})
 * @param idleTimeout the longest a caller may pause while the edge waits for its request's head,
 *     or for the body of a request a route claimed, or leave its connection idle between requests
 * @param threads event-loop threads
 * @param maxRelayedBody the largest body Javalin takes: a request declaring more is relayed without
 *     its body, which Javalin refuses from the head alone
 */
public record EdgeSettings(
        String bind, int port, int acceptQueue, Duration idleTimeout, int threads, long maxRelayedBody) {}
