package dev.lifeline.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.lifeline.core.DeathListener;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.WorkspaceId;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the deaths of this server's containers to the listeners, from the daemon's event stream
 * ({@code die}, {@code oom}). Before each subscription it reports every container of this server
 * found exited (deaths while no stream was open); when the stream ends (the daemon restarted, the
 * socket broke) it subscribes again, replaying what it missed when the daemon still has it. A container removed through a deliberate stop
 * is not reported, and each container is reported once.
 *
 * <p>With replicas on one database the server id is the fleet's, so every replica keeps a watch of
 * its own over all the fleet's containers: a death is reported by each, and only one replica's
 * guarded compare-and-set acts on it. No watch depends on one replica staying alive.
 */
final class DeathEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeathEvents.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final int REMEMBERED = 4096;

    private final DockerClient streams;
    private final String serverId;
    private final List<DeathListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> stopping = boundedSet();
    private final Set<String> reported = boundedSet();
    private final AtomicReference<@Nullable Closeable> subscription = new AtomicReference<>();
    private volatile boolean closed;
    private volatile long lastEventSeconds;
    private @Nullable Thread loop;

    DeathEvents(DockerClient streams, String serverId) {
        this.streams = streams;
        this.serverId = serverId;
    }

    /** Adds a listener, and starts watching the daemon with the first one. */
    synchronized void addListener(DeathListener listener) {
        listeners.add(listener);
        if (loop == null && !closed) {
            loop = Thread.ofVirtual().name("lifeline-docker-events").start(this::watchForever);
        }
    }

    /** The container is about to be removed on purpose; its death is not news. */
    void expectStop(String containerId) {
        stopping.add(containerId);
    }

    /** A stop failed and the container lives on; its death would be news again. */
    void stopFailed(String containerId) {
        stopping.remove(containerId);
    }

    private void watchForever() {
        // Every later subscription replays from here on, so no death falls between two of them.
        lastEventSeconds = System.currentTimeMillis() / 1000 - 1;
        Duration retry = FIRST_RETRY;
        while (!closed) {
            try {
                reportExited();
                subscribeAndWait();
                retry = FIRST_RETRY;
            } catch (RuntimeException e) {
                log.warn("Docker event stream failed ({}); subscribing again in {} ms", e, retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!pause(retry)) {
                return;
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    private void subscribeAndWait() throws InterruptedException {
        var command = streams.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter("die", "oom")
                .withLabelFilter(Labels.ownedBy(serverId));
        command.withSince(Long.toString(lastEventSeconds));
        ResultCallback.Adapter<Event> callback = command.exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                received(event);
            }
        });
        subscription.set(callback);
        if (closed) {
            closeQuietly(callback);
        }
        callback.awaitCompletion();
    }

    private void received(Event event) {
        if (event.getTime() != null) {
            lastEventSeconds = Math.max(lastEventSeconds, event.getTime());
        }
        String containerId = event.getId();
        var actor = event.getActor();
        Map<String, String> attributes =
                actor == null || actor.getAttributes() == null ? Map.of() : actor.getAttributes();
        if (containerId == null) {
            return;
        }
        String reason = "oom".equals(event.getAction())
                ? "container ran out of memory"
                : "container died (exit code " + attributes.getOrDefault("exitCode", "unknown") + ")";
        report(containerId, attributes.get(Labels.WORKSPACE), reason);
    }

    /**
     * Whatever of ours has exited without a stream to tell: before this server watched (a death
     * while it was down) or during a gap in the stream (a daemon restart).
     */
    private void reportExited() {
        List<Container> exited = streams.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Labels.ownedBy(serverId))
                .withStatusFilter(List.of("exited", "dead"))
                .exec();
        for (Container container : exited) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            report(container.getId(), labels.get(Labels.WORKSPACE), "container found exited");
        }
    }

    private void report(String containerId, @Nullable String workspace, String reason) {
        if (workspace == null || stopping.contains(containerId) || !reported.add(containerId)) {
            return;
        }
        WorkspaceId id;
        try {
            id = WorkspaceId.parse(workspace);
        } catch (RuntimeException e) {
            return;
        }
        log.info("Container {} of workspace {}: {}", containerId, id, reason);
        for (DeathListener listener : listeners) {
            try {
                listener.onDeath(id, new InstanceRef(containerId), reason);
            } catch (RuntimeException e) {
                log.warn("Death listener failed for workspace {}", id, e);
            }
        }
    }

    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        Closeable current = subscription.get();
        if (current != null) {
            closeQuietly(current);
        }
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            running.interrupt();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing the Docker event stream failed", e);
        }
    }

    private static Set<String> boundedSet() {
        return Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        }));
    }
}
