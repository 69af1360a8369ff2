/**
 * The server's front door on Netty: the routes on the hot path are served on its event loops, and
 * every other request is relayed to Javalin.
 */
@NullMarked
package dev.lifeline.server.edge;

import org.jspecify.annotations.NullMarked;
