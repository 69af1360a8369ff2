package dev.lifeline.backend.process;

import dev.lifeline.core.BackendException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Ends a process and its descendants: SIGTERM, a grace period, then SIGKILL. */
final class Terminator {
    /** How long a SIGKILLed process may take to be gone; longer means something is badly wrong. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final String backend;
    private final Duration grace;

    Terminator(String backend, Duration grace) {
        this.backend = backend;
        this.grace = grace;
    }

    /** Returns once the whole tree has exited; throws {@link BackendException} if it survives SIGKILL. */
    void terminate(ProcessHandle root) {
        // Taken before anything dies: an orphaned child is no longer a descendant.
        List<ProcessHandle> tree =
                Stream.concat(Stream.of(root), root.descendants()).toList();
        tree.forEach(ProcessHandle::destroy);
        if (exitsWithin(tree, grace)) {
            return;
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!exitsWithin(tree, KILL_WAIT)) {
            throw new BackendException(backend, "pid " + root.pid() + " survived SIGKILL for " + KILL_WAIT);
        }
    }

    /** Polls rather than waiting on {@code onExit()}, which never completes for a zombie. */
    private boolean exitsWithin(List<ProcessHandle> tree, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!tree.stream().allMatch(PidRef::hasExited)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException(
                        backend,
                        "interrupted while stopping pid " + tree.getFirst().pid(),
                        e);
            }
        }
        return true;
    }
}
