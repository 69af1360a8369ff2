package dev.lifeline.backend.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;

/**
 * Sends every request to the daemon on a connection of its own. A pooled connection outlives a
 * daemon restart and then breaks the next request (a start, a stop) with "broken pipe"; a fresh
 * connection per request costs little on a local socket and has no such failure.
 */
final class FreshConnections implements DockerHttpClient {
    private final DockerHttpClient delegate;

    FreshConnections(DockerHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            return delegate.execute(request); // an attached stream upgrades its connection; leave it be
        }
        return delegate.execute(
                Request.builder().from(request).putHeader("Connection", "close").build());
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
