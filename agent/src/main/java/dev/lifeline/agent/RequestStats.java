package dev.lifeline.agent;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the heartbeat reports: A2A requests in flight, and the share answered with a 5xx status in
 * the last 60 seconds (counted in one-second buckets).
 */
final class RequestStats {

    static final int WINDOW_SECONDS = 60;
    private static final int MAX_TASK_TEXT = 100;

    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] bucketSecond = new long[WINDOW_SECONDS];
    private final int[] answered = new int[WINDOW_SECONDS];
    private final int[] failed = new int[WINDOW_SECONDS];
    private String sampleError = "";
    private long sampleErrorSecond = Long.MIN_VALUE;

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, String> inFlight = new ConcurrentSkipListMap<>();

    RequestStats(InstantSource clock) {
        this.clock = clock;
        Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    /** The numbers a heartbeat carries. */
    record Snapshot(double errorRate, String sampleError, int activeTasks, String currentTask) {}

    /** One request in flight, from its start until {@link #end}. */
    final class Ticket {
        private final long id;

        private Ticket(long id) {
            this.id = id;
        }

        /** Names what the request is doing, shown as the heartbeat's {@code current_task}. */
        void describe(String text) {
            String line = text.strip().replaceAll("\\s+", " ");
            inFlight.replace(id, line.length() > MAX_TASK_TEXT ? line.substring(0, MAX_TASK_TEXT) : line);
        }

        /** Records the request's HTTP status; call once. */
        void end(int status) {
            inFlight.remove(id);
            record(status);
        }
    }

    Ticket begin() {
        long id = sequence.incrementAndGet();
        inFlight.put(id, "");
        return new Ticket(id);
    }

    Snapshot snapshot() {
        long now = nowSecond();
        int total = 0;
        int errors = 0;
        String sample;
        lock.lock();
        try {
            for (int i = 0; i < WINDOW_SECONDS; i++) {
                if (inWindow(bucketSecond[i], now)) {
                    total += answered[i];
                    errors += failed[i];
                }
            }
            sample = inWindow(sampleErrorSecond, now) ? sampleError : "";
        } finally {
            lock.unlock();
        }
        double rate = total == 0 ? 0.0 : (double) errors / total;
        Map.Entry<Long, String> latest = inFlight.lastEntry();
        return new Snapshot(rate, sample, inFlight.size(), latest == null ? "" : latest.getValue());
    }

    private void record(int status) {
        long now = nowSecond();
        int index = (int) Math.floorMod(now, (long) WINDOW_SECONDS);
        lock.lock();
        try {
            if (bucketSecond[index] != now) {
                bucketSecond[index] = now;
                answered[index] = 0;
                failed[index] = 0;
            }
            answered[index]++;
            if (status >= 500) {
                failed[index]++;
                sampleError = "answered HTTP " + status;
                sampleErrorSecond = now;
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean inWindow(long second, long now) {
        return second > now - WINDOW_SECONDS && second <= now;
    }

    private long nowSecond() {
        return clock.instant().getEpochSecond();
    }
}
