package dev.lifeline.server;

import dev.lifeline.core.PublishedEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus subscription serving every client of one stream: each event is serialised once, and only
 * if some client wants it, and every client is handed the same frame. Feeds must not block (they
 * queue or hand the frame to the socket), so one client never delays the others.
 */
final class FanOut<F> implements Consumer<PublishedEvent> {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    /** One client of the stream. */
    interface Feed<F> {
        boolean wants(PublishedEvent event);

        void send(F frame);
    }

    private final Function<PublishedEvent, F> serialise;
    private final Set<Feed<F>> feeds = ConcurrentHashMap.newKeySet();

    FanOut(Function<PublishedEvent, F> serialise) {
        this.serialise = serialise;
    }

    void add(Feed<F> feed) {
        feeds.add(feed);
    }

    void remove(Feed<F> feed) {
        feeds.remove(feed);
    }

    /** Whether the stream has a client at all. */
    boolean anyone() {
        return !feeds.isEmpty();
    }

    @Override
    public void accept(PublishedEvent event) {
        @Nullable F frame = null;
        for (Feed<F> feed : feeds) {
            if (!feed.wants(event)) {
                continue;
            }
            if (frame == null) {
                frame = serialise.apply(event);
            }
            try {
                feed.send(frame);
            } catch (RuntimeException e) {
                log.debug("a {} client failed to take an event", event.event().type(), e);
            }
        }
    }
}
