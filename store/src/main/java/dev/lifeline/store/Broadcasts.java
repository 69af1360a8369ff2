package dev.lifeline.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcast-only notices on their way to the other replicas. The publisher queues a notice and goes
 * on without waiting for the database; one virtual thread sends everything queued within {@link
 * #WINDOW} of the first notice in one statement, in the order queued. A fleet's heartbeat events,
 * hundreds a second, cost a few statements a second instead of one each. A notice that finds the
 * queue full (the database out of reach for long) is dropped and counted in the log: broadcasts are
 * best effort, as they are across a lost listening connection.
 */
final class Broadcasts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broadcasts.class);
    /** How long the first notice of a batch waits for others: the most a broadcast is delayed. */
    static final Duration WINDOW = Duration.ofMillis(20);

    private static final int MAX_BATCH = 500;
    private static final int MAX_QUEUED = 20_000;
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final BlockingQueue<String> queued = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Consumer<List<String>> send;
    private final Thread sender;
    private volatile boolean open = true;

    /** @param send sends one batch, in order; called on the sender's thread only */
    Broadcasts(Consumer<List<String>> send) {
        this.send = send;
        this.sender = Thread.ofVirtual().name("lifeline-broadcasts").start(this::sendUntilClosed);
    }

    void offer(String notice) {
        if (!open || !queued.offer(notice)) {
            log.warn("dropped a broadcast: {} are waiting for the database already", queued.size());
        }
    }

    private void sendUntilClosed() {
        try {
            while (open || !queued.isEmpty()) {
                String first = queued.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    sendBatch(first);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendBatch(String first) throws InterruptedException {
        List<String> batch = new ArrayList<>();
        batch.add(first);
        long deadline = System.nanoTime() + WINDOW.toNanos();
        while (batch.size() < MAX_BATCH) {
            long left = deadline - System.nanoTime();
            String next = left > 0 ? queued.poll(left, TimeUnit.NANOSECONDS) : queued.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        try {
            send.accept(batch);
        } catch (RuntimeException e) {
            log.warn("could not tell the other replicas about {} events", batch.size(), e);
        }
    }

    /** Sends what is queued, then stops. */
    @Override
    public void close() {
        open = false;
        try {
            sender.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
