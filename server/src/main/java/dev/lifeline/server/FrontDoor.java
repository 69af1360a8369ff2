package dev.lifeline.server;

/** What owns the public port ({@code LIFELINE_EDGE}). */
public enum FrontDoor {
    /** The Netty edge; Javalin listens on loopback behind it. */
    NETTY,
    /** Javalin's Jetty itself, with no edge in front. */
    JETTY
}
