package dev.lifeline.server;

import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event bus of a replica that shares its database: this server's events go to its own
 * subscribers and, when broadcast-only, to the other replicas (a persisted event crosses with its
 * row, announced by the database). What the others send comes in through {@link RemoteArrivals}.
 */
final class ClusterEventBus implements EventBus {
    private final EventBus local;
    private final ClusterChannel channel;

    ClusterEventBus(EventBus local, ClusterChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    @Override
    public void publish(PublishedEvent event) {
        local.publish(event);
        if (!event.event().persisted()) {
            channel.broadcast(event);
        }
    }

    @Override
    public void publishAll(List<PublishedEvent> events) {
        local.publishAll(events);
        for (PublishedEvent event : events) {
            if (!event.event().persisted()) {
                channel.broadcast(event);
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
        return local.subscribe(subscriber);
    }

    @Override
    public Subscription subscribe(Predicate<PublishedEvent> wanted, Consumer<PublishedEvent> subscriber) {
        return local.subscribe(wanted, subscriber);
    }
}
