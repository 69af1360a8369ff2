package dev.lifeline.server;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process fan-out. Each subscriber has its own bounded buffer drained by its own virtual thread;
 * a slow subscriber loses its own overflow and never delays the publisher or anyone else. What is
 * published together is queued together, so a subscriber wakes once for a burst, not once per event,
 * and a subscriber that said which events it wants is handed only those: a burst with none of them
 * does not wake it at all.
 */
final class LocalEventBus implements EventBus {
    private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);
    private final int capacity;
    private final Set<Sub> subscribers = ConcurrentHashMap.newKeySet();

    /** @param capacity the most events one subscriber may have waiting */
    LocalEventBus(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void publish(PublishedEvent event) {
        publishAll(List.of(event));
    }

    @Override
    public void publishAll(List<PublishedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<PublishedEvent> burst = List.copyOf(events);
        for (Sub s : subscribers) {
            List<PublishedEvent> mine = s.mine(burst);
            if (mine.isEmpty()) {
                continue;
            }
            int dropped = s.offer(mine);
            if (dropped > 0) {
                log.warn(
                        "subscriber buffer full; dropped {} event(s) for one subscriber, the first a {}",
                        dropped,
                        mine.get(mine.size() - dropped).event().type());
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
        return add(null, subscriber);
    }

    @Override
    public Subscription subscribe(Predicate<PublishedEvent> wanted, Consumer<PublishedEvent> subscriber) {
        return add(wanted, subscriber);
    }

    /** @param wanted the events the subscriber is handed, null for all */
    private Subscription add(@Nullable Predicate<PublishedEvent> wanted, Consumer<PublishedEvent> subscriber) {
        Sub sub = new Sub(capacity, wanted, subscriber);
        subscribers.add(sub);
        sub.thread = Thread.ofVirtual().name("event-subscriber").start(sub::drain);
        return () -> {
            subscribers.remove(sub);
            sub.thread.interrupt();
        };
    }

    private static final class Sub {
        final int capacity;
        final @Nullable Predicate<PublishedEvent> wanted;
        final Consumer<PublishedEvent> consumer;
        /** Bursts in the order published; {@link #waiting} counts their events against the capacity. */
        final BlockingQueue<List<PublishedEvent>> bursts = new LinkedBlockingQueue<>();

        final AtomicInteger waiting = new AtomicInteger();
        Thread thread = Thread.currentThread();

        Sub(int capacity, @Nullable Predicate<PublishedEvent> wanted, Consumer<PublishedEvent> consumer) {
            this.capacity = capacity;
            this.wanted = wanted;
            this.consumer = consumer;
        }

        /**
         * The burst's events this subscriber wants, in order: the burst itself when it wants them all,
         * and a new list only when it wants some of them.
         */
        List<PublishedEvent> mine(List<PublishedEvent> burst) {
            Predicate<PublishedEvent> w = wanted;
            if (w == null) {
                return burst;
            }
            int count = 0;
            for (PublishedEvent e : burst) {
                if (w.test(e)) {
                    count++;
                }
            }
            if (count == burst.size() || count == 0) {
                return count == 0 ? List.of() : burst;
            }
            List<PublishedEvent> mine = new ArrayList<>(count);
            for (PublishedEvent e : burst) {
                if (w.test(e)) {
                    mine.add(e);
                }
            }
            return mine;
        }

        /** Queues the burst's first events that fit; returns how many of its last ones did not. */
        int offer(List<PublishedEvent> burst) {
            int taken;
            int before;
            do {
                before = waiting.get();
                taken = Math.min(burst.size(), capacity - before);
                if (taken <= 0) {
                    return burst.size();
                }
            } while (!waiting.compareAndSet(before, before + taken));
            bursts.add(taken == burst.size() ? burst : burst.subList(0, taken));
            return burst.size() - taken;
        }

        void drain() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<PublishedEvent> burst = bursts.take();
                    for (PublishedEvent e : burst) {
                        try {
                            consumer.accept(e);
                        } catch (RuntimeException ex) {
                            log.debug("subscriber failed on {}", e.event().type(), ex);
                        }
                    }
                    waiting.addAndGet(-burst.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
