package dev.lifeline.server;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process fan-out. Each subscriber has its own bounded queue drained by its own virtual thread;
 * a slow subscriber loses its own overflow and never delays the publisher or anyone else.
 */
final class LocalEventBus implements EventBus {
    private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);
    private final int capacity;
    private final Set<Sub> subscribers = ConcurrentHashMap.newKeySet();

    LocalEventBus(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void publish(PublishedEvent event) {
        for (Sub s : subscribers) {
            if (!s.queue.offer(event)) {
                log.warn(
                        "subscriber buffer full; dropped {} for one subscriber",
                        event.event().type());
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
        Sub sub = new Sub(new ArrayBlockingQueue<>(capacity), subscriber);
        subscribers.add(sub);
        sub.thread = Thread.ofVirtual().name("event-subscriber").start(sub::drain);
        return () -> {
            subscribers.remove(sub);
            sub.thread.interrupt();
        };
    }

    private static final class Sub {
        final BlockingQueue<PublishedEvent> queue;
        final Consumer<PublishedEvent> consumer;
        Thread thread = Thread.currentThread();

        Sub(BlockingQueue<PublishedEvent> queue, Consumer<PublishedEvent> consumer) {
            this.queue = queue;
            this.consumer = consumer;
        }

        void drain() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    PublishedEvent e = queue.take();
                    try {
                        consumer.accept(e);
                    } catch (RuntimeException ex) {
                        log.debug("subscriber failed on {}", e.event().type(), ex);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
