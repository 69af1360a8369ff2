package dev.lifeline.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** The tasks this agent created, in memory, keeping only the most recent {@code capacity}. */
final class TaskStore {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TaskSnapshot> tasks = new LinkedHashMap<>();

    TaskStore(int capacity) {
        this.capacity = capacity;
    }

    void put(TaskSnapshot task) {
        lock.lock();
        try {
            tasks.remove(task.id());
            tasks.put(task.id(), task);
            if (tasks.size() > capacity) {
                tasks.remove(tasks.keySet().iterator().next());
            }
        } finally {
            lock.unlock();
        }
    }

    Optional<TaskSnapshot> get(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(tasks.get(id));
        } finally {
            lock.unlock();
        }
    }
}
