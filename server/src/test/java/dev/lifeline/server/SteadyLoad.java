package dev.lifeline.server;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A2A calls at a steady rate, round robin over a set of workspaces, each on its own virtual thread
 * and each recorded with its answer. {@link #betweenCalls} runs an action while no call is in flight
 * (new calls wait for it), for a test that must not count a call the action itself cut off.
 */
final class SteadyLoad implements AutoCloseable {
    /** One call's answer; status 0 when no HTTP answer came at all. */
    record Call(String workspace, int status, String body) {}

    private final ApiClient api;
    private final List<String> workspaces;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private SteadyLoad(ApiClient api, List<String> workspaces) {
        this.api = api;
        this.workspaces = List.copyOf(workspaces);
    }

    /** Starts one call every {@code period}. */
    static SteadyLoad start(ApiClient api, List<String> workspaces, Duration period) {
        SteadyLoad load = new SteadyLoad(api, workspaces);
        load.ticks.scheduleAtFixedRate(
                () -> load.callers.execute(load::call), 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return load;
    }

    /** Runs {@code action} once the calls in flight have been answered, holding new ones until it returns. */
    <T> T betweenCalls(Callable<T> action) throws Exception {
        gate.writeLock().lock();
        try {
            return action.call();
        } finally {
            gate.writeLock().unlock();
        }
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Stops starting calls and waits for the ones in flight. */
    @Override
    public void close() {
        ticks.shutdownNow();
        callers.close();
    }

    private void call() {
        String workspace = workspaces.get(Math.floorMod(next.getAndIncrement(), workspaces.size()));
        gate.readLock().lock();
        try {
            ApiClient.Reply reply =
                    api.post("/workspaces/" + workspace + "/a2a", DemoCommand.message("steady " + next.get()));
            calls.add(new Call(workspace, reply.status(), reply.body()));
        } catch (UncheckedIOException e) {
            calls.add(new Call(workspace, 0, String.valueOf(e.getMessage())));
        } finally {
            gate.readLock().unlock();
        }
    }
}
