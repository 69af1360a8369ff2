package dev.lifeline.proxy;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An event bus that hands every event to every subscriber on the publishing thread. */
final class DirectBus implements EventBus {
    private final List<Consumer<PublishedEvent>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(PublishedEvent event) {
        subscribers.forEach(s -> s.accept(event));
    }

    @Override
    public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
