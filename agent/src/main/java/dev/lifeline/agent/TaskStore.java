package dev.lifeline.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tasks this agent created, in memory, and the streams subscribed to them.
 *
 * <p>Every change of a task goes through {@link #publish} under one lock, so each subscriber sees
 * the events of a task in the order they happened, starting right after the snapshot it got when it
 * subscribed. A terminal task takes no more events. Beyond {@code capacity} tasks, the oldest
 * finished task nobody is watching is forgotten; running tasks are never dropped.
 */
final class TaskStore {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> tasks = new LinkedHashMap<>();

    private static final class Entry {
        TaskSnapshot task;
        final List<BlockingQueue<TaskEvent>> subscribers = new ArrayList<>();

        Entry(TaskSnapshot task) {
            this.task = task;
        }
    }

    TaskStore(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a task this agent has just created. */
    void create(TaskSnapshot task) {
        lock.lock();
        try {
            tasks.put(task.id(), new Entry(task));
            forgetOldestFinishedIfFull();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records the task an event carries and hands the event to every subscriber.
     *
     * @return false, changing nothing, when the task is unknown or already terminal (e.g. canceled)
     */
    boolean publish(TaskEvent event) {
        lock.lock();
        try {
            Entry entry = tasks.get(event.task().id());
            if (entry == null || entry.task.state().terminal()) {
                return false;
            }
            entry.task = event.task();
            entry.subscribers.forEach(queue -> queue.add(event));
            return true;
        } finally {
            lock.unlock();
        }
    }

    Optional<TaskSnapshot> get(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(tasks.get(id)).map(entry -> entry.task);
        } finally {
            lock.unlock();
        }
    }

    /** Every task known, in no particular order. */
    List<TaskSnapshot> all() {
        lock.lock();
        try {
            return tasks.values().stream().map(entry -> entry.task).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels a running task: it becomes canceled at {@code now} and its subscribers get that final status.
     *
     * @throws JsonRpcException task not found, or task not cancelable when it is already terminal
     */
    TaskSnapshot cancel(String id, Instant now) {
        lock.lock();
        try {
            TaskSnapshot task = known(id);
            if (task.state().terminal()) {
                throw JsonRpcException.of(
                        A2aError.TASK_NOT_CANCELABLE,
                        "Task cannot be canceled: it is " + task.state().legacyName(),
                        Map.of("taskId", id, "state", task.state().currentName()));
            }
            TaskSnapshot canceled = task.withState(TaskState.CANCELED, now);
            publish(new TaskEvent.StatusChanged(canceled));
            return canceled;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Subscribes to the events of a running task.
     *
     * @throws JsonRpcException task not found, or unsupported operation when the task is terminal
     */
    Subscription subscribe(String id) {
        lock.lock();
        try {
            Entry entry = tasks.get(id);
            if (entry == null) {
                throw taskNotFound(id);
            }
            TaskSnapshot task = entry.task;
            if (task.state().terminal()) {
                throw JsonRpcException.of(
                        A2aError.UNSUPPORTED_OPERATION,
                        "Task is " + task.state().legacyName() + "; only running tasks can be subscribed to",
                        Map.of("taskId", id, "state", task.state().currentName()));
            }
            BlockingQueue<TaskEvent> queue = new LinkedBlockingQueue<>();
            entry.subscribers.add(queue);
            return new Subscription(task, queue, () -> unsubscribe(id, queue));
        } finally {
            lock.unlock();
        }
    }

    /** The task, for a caller that named it. */
    TaskSnapshot known(String id) {
        return get(id).orElseThrow(() -> taskNotFound(id));
    }

    static JsonRpcException taskNotFound(String id) {
        return JsonRpcException.of(A2aError.TASK_NOT_FOUND, "Task not found", Map.of("taskId", id));
    }

    private void unsubscribe(String id, BlockingQueue<TaskEvent> queue) {
        lock.lock();
        try {
            Entry entry = tasks.get(id);
            if (entry != null) {
                entry.subscribers.remove(queue);
            }
        } finally {
            lock.unlock();
        }
    }

    private void forgetOldestFinishedIfFull() {
        if (tasks.size() <= capacity) {
            return;
        }
        tasks.values().stream()
                .filter(entry -> entry.task.state().terminal() && entry.subscribers.isEmpty())
                .findFirst()
                .ifPresent(entry -> tasks.remove(entry.task.id()));
    }

    /** One stream's view of a task: the task when it subscribed, then every later event. */
    static final class Subscription implements AutoCloseable {
        private final TaskSnapshot start;
        private final BlockingQueue<TaskEvent> events;
        private final Runnable onClose;

        private Subscription(TaskSnapshot start, BlockingQueue<TaskEvent> events, Runnable onClose) {
            this.start = start;
            this.events = events;
            this.onClose = onClose;
        }

        TaskSnapshot start() {
            return start;
        }

        /** Waits for the next event. */
        TaskEvent next() throws InterruptedException {
            return events.take();
        }

        @Override
        public void close() {
            onClose.run();
        }
    }
}
