package dev.lifeline.server;

import dev.lifeline.core.PublishedEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One {@code /ws} client's feed: each event goes out as one text frame, handed to the socket
 * without waiting. Jetty queues what the client has not read yet; once that passes the client's
 * {@link PendingLimit} the client is disconnected (it reconnects and reads the state again), so a
 * client that stops reading holds at most that much of the server.
 */
final class WsFeed implements FanOut.Feed<WsFeed.Frame> {
    /** An event's text frame, serialised once for every client, with its size in UTF-8 bytes. */
    record Frame(String text, long bytes) {
        static Frame of(PublishedEvent event) {
            String text = EventRoutes.wsEnvelope(event);
            return new Frame(text, text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private final Session session;
    private final PendingSends pending;
    private final Runnable onCutOff;
    private final AtomicBoolean open = new AtomicBoolean(true);

    WsFeed(Session session, PendingSends pending, Runnable onCutOff) {
        this.session = session;
        this.pending = pending;
        this.onCutOff = onCutOff;
    }

    @Override
    public boolean wants(PublishedEvent event) {
        return open.get();
    }

    @Override
    public void send(Frame frame) {
        long size = frame.bytes();
        if (!pending.admit(size)) {
            cutOff();
            return;
        }
        session.sendText(frame.text(), Callback.from(() -> pending.done(size), failure -> pending.done(size)));
    }

    private void cutOff() {
        if (open.compareAndSet(true, false)) {
            onCutOff.run();
            session.disconnect();
        }
    }
}
