package dev.lifeline.backend.process;

import dev.lifeline.core.DeathListener;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the death listeners when a watched process exits, on a virtual thread. A process stopped
 * through {@link #forget} is not reported: a deliberate stop is not a death.
 */
final class ExitWatcher {
    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final List<DeathListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<InstanceRef> watched = ConcurrentHashMap.newKeySet();
    private final Executor notifier =
            task -> Thread.ofVirtual().name("lifeline-process-exit").start(task);

    void addListener(DeathListener listener) {
        listeners.add(listener);
    }

    /**
     * Watches one process unless it is watched already; {@code exit} is asked only then, for a
     * future that completes with the reason when the process ends.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // exited() catches what listeners throw; nothing else can fail
    void watch(WorkspaceId id, InstanceRef ref, Supplier<CompletableFuture<String>> exit) {
        if (watched.add(ref)) {
            exit.get().thenAcceptAsync(reason -> exited(id, ref, reason), notifier);
        }
    }

    /**
     * The exit of a process this JVM did not start, checked every {@link #POLL_INTERVAL} on a
     * virtual thread: the JDK's own {@code onExit()} for such a process polls ever more slowly, up
     * to every five seconds, and never completes for a zombie.
     */
    static CompletableFuture<String> polledExit(PidRef process) {
        CompletableFuture<String> exit = new CompletableFuture<>();
        Thread.ofVirtual().name("lifeline-process-adopted-" + process.pid()).start(() -> {
            try {
                while (!hasStopped(process)) {
                    Thread.sleep(POLL_INTERVAL);
                }
                exit.complete("exited");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return exit;
    }

    /** Stops watching a process that is about to be stopped on purpose. */
    void forget(InstanceRef ref) {
        watched.remove(ref);
    }

    private static boolean hasStopped(PidRef process) {
        try {
            return process.livenessOf(process.handle().orElse(null)) instanceof Liveness.Stopped;
        } catch (RuntimeException e) {
            log.debug("Cannot inspect pid {}; will look again", process.pid(), e);
            return false;
        }
    }

    private void exited(WorkspaceId id, InstanceRef ref, String reason) {
        if (!watched.remove(ref)) {
            return;
        }
        log.info("Process {} of workspace {} {}", ref, id, reason);
        for (DeathListener listener : listeners) {
            try {
                listener.onDeath(id, ref, reason);
            } catch (RuntimeException e) {
                log.warn("Death listener failed for workspace {}", id, e);
            }
        }
    }
}
