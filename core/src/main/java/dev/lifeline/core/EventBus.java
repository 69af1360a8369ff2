package dev.lifeline.core;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fans events out to live subscribers (WebSocket, SSE, the proxy's idle timer). Publishing never
 * blocks on a slow subscriber: each subscriber has a bounded buffer and loses its own overflow.
 */
public interface EventBus {

    void publish(PublishedEvent event);

    /**
     * Publishes each event, in order. A bus may hand a subscriber the whole list at once, so a burst
     * (an audit batch's events) costs a subscriber one wake-up rather than one per event.
     */
    default void publishAll(List<PublishedEvent> events) {
        events.forEach(this::publish);
    }

    /** Subscribes until the returned handle is closed. */
    Subscription subscribe(Consumer<PublishedEvent> subscriber);

    /**
     * Subscribes to the events {@code wanted} accepts when they are published. A bus may leave the
     * others out before they reach the subscriber's thread, so a burst it has no use for does not wake
     * it; {@code wanted} must be cheap and must not block.
     */
    default Subscription subscribe(Predicate<PublishedEvent> wanted, Consumer<PublishedEvent> subscriber) {
        return subscribe(event -> {
            if (wanted.test(event)) {
                subscriber.accept(event);
            }
        });
    }

    /** A live subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
