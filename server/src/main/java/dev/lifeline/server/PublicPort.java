package dev.lifeline.server;

import dev.lifeline.server.edge.Edge;
import dev.lifeline.server.edge.EdgeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * The public port, bound before anything else starts: its number goes into every agent's platform
 * URL, and no other socket can take it between the choosing and the listening. Callers wait in the
 * kernel's queue until the front door opens.
 *
 * @param edge the Netty edge holding it ({@code LIFELINE_EDGE=netty})
 * @param jetty the channel Jetty will accept on ({@code LIFELINE_EDGE=jetty})
 */
record PublicPort(int number, @Nullable Edge edge, @Nullable ServerSocketChannel jetty) implements AutoCloseable {

    /** Binds {@code settings.port()}, or a free port when it is 0. */
    static PublicPort bind(FrontDoor door, EdgeSettings settings) {
        if (door == FrontDoor.NETTY) {
            Edge edge = Edge.bind(settings);
            return new PublicPort(edge.port(), edge, null);
        }
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(new InetSocketAddress(settings.bind(), settings.port()), settings.acceptQueue());
                return new PublicPort(((InetSocketAddress) channel.getLocalAddress()).getPort(), null, channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.bind() + ":" + settings.port(), e);
        }
    }

    /** Releases the port; closing an edge that has opened also stops it. */
    @Override
    public void close() {
        if (edge != null) {
            edge.close();
        }
        if (jetty != null) {
            try {
                jetty.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
