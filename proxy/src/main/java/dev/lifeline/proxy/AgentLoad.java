package dev.lifeline.proxy;

import dev.lifeline.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What this server knows of each agent's load: its capacity and busy tasks as its last heartbeat
 * reported them, the queued calls this server is delivering to it, and whether calls may wait in its
 * queue (so a heartbeat with room looks at the queue only then). The tasks a heartbeat counts
 * beyond this server's deliveries are the agent's other work; a delivery that ends frees its room at
 * once. An agent that answered a delivery "busy" has no room until its next heartbeat or until
 * {@code busyPause} has passed. Kept in memory: a heartbeat reaches one server, which drains on it.
 */
public final class AgentLoad {
    /**
     * One agent's load.
     *
     * @param capacity null when the agent never said
     * @param others the busy tasks the last heartbeat counted beyond this server's deliveries
     * @param delivering this server's deliveries under way
     */
    private record Load(
            @Nullable Integer capacity,
            boolean nativeSession,
            int others,
            int delivering,
            @Nullable Instant busyUntil) {
        static final Load UNKNOWN = new Load(null, false, 0, 0, null);

        Load delivering(int change) {
            return new Load(capacity, nativeSession, others, Math.max(0, delivering + change), busyUntil);
        }
    }

    private final Map<WorkspaceId, Load> loads = new ConcurrentHashMap<>();
    private final Set<WorkspaceId> waiting = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Duration busyPause;

    public AgentLoad(Clock clock, Duration busyPause) {
        this.clock = clock;
        this.busyPause = busyPause;
    }

    /**
     * A heartbeat's report.
     *
     * @param capacity how many tasks the agent takes at once, or null when it did not say
     * @param nativeSession the agent retries busy calls itself: its calls are never queued
     */
    public void reported(WorkspaceId id, int activeTasks, @Nullable Integer capacity, boolean nativeSession) {
        loads.compute(id, (k, l) -> {
            int delivering = l == null ? 0 : l.delivering();
            return new Load(capacity, nativeSession, Math.max(0, activeTasks - delivering), delivering, null);
        });
    }

    /** Whether the agent is at the capacity it declared (never when it declared none). */
    public boolean atCapacity(WorkspaceId id) {
        Load load = loads.getOrDefault(id, Load.UNKNOWN);
        return load.capacity() != null && load.others() + load.delivering() >= load.capacity();
    }

    public boolean nativeSession(WorkspaceId id) {
        return loads.getOrDefault(id, Load.UNKNOWN).nativeSession();
    }

    /** How many more calls the agent can take now; an agent that declared no capacity takes one at a time. */
    public int room(WorkspaceId id) {
        Load load = loads.getOrDefault(id, Load.UNKNOWN);
        if (load.busyUntil() != null && clock.instant().isBefore(load.busyUntil())) {
            return 0;
        }
        int capacity = load.capacity() == null ? 1 : load.capacity();
        return Math.max(0, capacity - load.others() - load.delivering());
    }

    /** A delivery to the agent started. */
    public void began(WorkspaceId id) {
        loads.compute(id, (k, l) -> (l == null ? Load.UNKNOWN : l).delivering(1));
    }

    /** A delivery to the agent ended. */
    public void ended(WorkspaceId id) {
        loads.computeIfPresent(id, (k, l) -> l.delivering(-1));
    }

    /** The agent answered a delivery "busy": no more until its next heartbeat or the pause is over. */
    public void sawBusy(WorkspaceId id) {
        Instant until = clock.instant().plus(busyPause);
        loads.compute(id, (k, l) -> {
            Load load = l == null ? Load.UNKNOWN : l;
            return new Load(load.capacity(), load.nativeSession(), load.others(), load.delivering(), until);
        });
    }

    /** Calls to the agent may wait in its queue: one was queued or put back here, or a round saw some. */
    public void callsWaiting(WorkspaceId id) {
        waiting.add(id);
    }

    /** Whether calls may wait in the agent's queue; without a mark, a heartbeat leaves the queue alone. */
    public boolean mayHaveCallsWaiting(WorkspaceId id) {
        return waiting.contains(id);
    }

    /** Clears the mark before a claim; a call queued meanwhile marks it again. */
    void claiming(WorkspaceId id) {
        waiting.remove(id);
    }
}
