import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * CPU of the platform threads whose names a predicate picks, sampled every second so that threads
 * which end during the window still count (up to their last sample). Virtual threads run on carrier
 * threads and are counted with their carriers.
 */
final class ThreadCpu implements AutoCloseable {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Predicate<String> picked;
    private final Map<Long, Long> first = new ConcurrentHashMap<>();
    private final Map<Long, Long> last = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    ThreadCpu(Predicate<String> picked) {
        this.picked = picked;
        sample();
        this.sampler = Thread.ofPlatform().daemon().name("bench-thread-cpu").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !picked.test(info.getThreadName())) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                first.putIfAbsent(info.getThreadId(), cpu);
                last.put(info.getThreadId(), cpu);
            }
        }
    }

    /** CPU seconds the picked threads used since this was created. */
    double seconds() {
        sample();
        long nanos = 0;
        for (var e : last.entrySet()) {
            nanos += e.getValue() - first.getOrDefault(e.getKey(), e.getValue());
        }
        return nanos / 1e9;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
