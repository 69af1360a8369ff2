package dev.lifeline.supervisor;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.RowCache;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Registration and heartbeats from agents. Both require the workspace's own token for its current
 * generation, so a stray agent of an older incarnation cannot move the row, and a register never
 * revives a paused, hibernated, failed or removed workspace.
 */
public final class AgentRegistry {
    private static final Set<WorkspaceStatus> REGISTERABLE =
            EnumSet.of(WorkspaceStatus.PROVISIONING, WorkspaceStatus.AWAITING_AGENT, WorkspaceStatus.OFFLINE);

    /** How long a row a heartbeat left stands in for a read at most, against a lost notice of a write. */
    static final Duration HEARTBEAT_ROW_LIFETIME = Duration.ofMinutes(2);

    static final double DEGRADE_AT = 0.5;
    static final double RECOVER_BELOW = 0.1;

    private final Lifecycle lifecycle;
    private final Clock clock;
    private final RowCache rows;

    public AgentRegistry(Lifecycle lifecycle, Clock clock) {
        this(lifecycle, clock, RowCache.none());
    }

    /**
     * @param rows the row each workspace's last heartbeat left, so that the next one, which usually
     *     changes nothing but its figures, reads no row; whoever makes it must have every write other
     *     than a heartbeat's let rows go (see {@link #heartbeatRows})
     */
    public AgentRegistry(Lifecycle lifecycle, Clock clock, RowCache rows) {
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.rows = rows;
    }

    /** The cache of the rows heartbeats leave, as large as the fleet, each kept {@link #HEARTBEAT_ROW_LIFETIME}. */
    public static RowCache heartbeatRows(LongSupplier nanos) {
        return new RowCache(HEARTBEAT_ROW_LIFETIME, Integer.MAX_VALUE, nanos);
    }

    /**
     * Marks the workspace online at the URL its backend reported (or the agent's, if none); the
     * agent card is a parsed JSON object, stored as the JSON text it writes to. A workspace that is
     * already online keeps its URL; a card unlike the stored one is stored and announced with {@code
     * AGENT_CARD_UPDATED}, whichever the status (only broadcast when it comes with going online, as
     * the stored {@code WORKSPACE_ONLINE} holds it).
     */
    public Workspace register(
            WorkspaceId id, TokenGrant grant, String reportedUrl, Map<String, @Nullable Object> agentCard) {
        Workspace w = current(id, grant);
        if (w.status().routable()) {
            return replaceCardIfChanged(w, agentCard);
        }
        if (!REGISTERABLE.contains(w.status())) {
            throw new ConflictException("workspace is " + w.status().wire() + "; it cannot be registered now");
        }
        String url = w.endpoint().orElse(reportedUrl);
        Optional<Workspace> online = lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.ONLINE,
                        new WorkspaceEvent.Online(id, url, agentCard, null),
                        clock.instant())
                .onlyFrom(REGISTERABLE)
                .ifGeneration(w.generation())
                .withUrl(url, PayloadJson.write(agentCard))
                .touchingHeartbeat());
        if (online.isPresent() && !PayloadJson.write(agentCard).equals(w.agentCard())) {
            lifecycle.announce(new WorkspaceEvent.AgentCardUpdated(id, agentCard, false), clock.instant());
        }
        return online.orElseGet(() -> current(id, grant));
    }

    /** The agent replaces its card ({@code POST /registry/update-card}); announced when it differs. */
    public Workspace updateCard(WorkspaceId id, TokenGrant grant, Map<String, @Nullable Object> agentCard) {
        return replaceCardIfChanged(current(id, grant), agentCard);
    }

    /** The operator replaces a live workspace's card; announced when it differs. */
    public Workspace updateCardAsOperator(WorkspaceId id, Map<String, @Nullable Object> agentCard) {
        Workspace w = lifecycle.store().find(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
        if (w.status() == WorkspaceStatus.REMOVED) {
            throw new WorkspaceNotFoundException(id);
        }
        return replaceCardIfChanged(w, agentCard);
    }

    private Workspace replaceCardIfChanged(Workspace w, Map<String, @Nullable Object> agentCard) {
        if (PayloadJson.write(agentCard).equals(w.agentCard())) {
            return w;
        }
        return lifecycle
                .replaceAgentCard(w.id(), agentCard, clock.instant())
                .orElseThrow(() -> new WorkspaceNotFoundException(w.id()));
    }

    /**
     * Stores a heartbeat; a heartbeat from an offline or provisioning agent proves it alive. One that
     * changes the current task or the number of active tasks is announced with {@code TASK_UPDATED}.
     */
    public Workspace heartbeat(WorkspaceId id, TokenGrant grant, Heartbeat beat) {
        long version = rows.version();
        Workspace w = rows.fresh(id).filter(seen -> quiet(seen, grant)).orElseGet(() -> current(id, grant));
        Workspace updated = lifecycle
                .store()
                .recordHeartbeat(w, beat, clock.instant())
                .orElseThrow(() -> new WorkspaceNotFoundException(id));
        if ((w.status() == WorkspaceStatus.OFFLINE || w.status() == WorkspaceStatus.PROVISIONING)
                && w.endpoint().isPresent()) {
            String from = w.status() == WorkspaceStatus.PROVISIONING ? "provisioning" : null;
            lifecycle.apply(Transition.to(
                            id,
                            WorkspaceStatus.ONLINE,
                            new WorkspaceEvent.Online(id, null, null, from),
                            clock.instant())
                    .onlyFrom(EnumSet.of(w.status()))
                    .ifGeneration(w.generation()));
        }
        degradeOrRecover(w, beat);
        String task = beat.currentTask();
        if (!Objects.equals(w.currentTask(), task) || w.activeTasks() != beat.activeTasks()) {
            lifecycle.announce(
                    new WorkspaceEvent.TaskUpdated(id, task == null ? "" : task, beat.activeTasks()), clock.instant());
        }
        lifecycle.announce(new WorkspaceEvent.Heartbeat(id, beat.activeTasks(), beat.uptimeSeconds()), clock.instant());
        rows.keep(updated, version);
        return updated;
    }

    /**
     * Whether a remembered row may stand in for a fresh read: it belongs to the grant, and is online
     * on the grant's generation, so the heartbeat only stores its figures. Anything else (a refusal,
     * a transition to make) is decided on the row as the store has it now.
     */
    private static boolean quiet(Workspace seen, TokenGrant grant) {
        return seen.id().equals(grant.workspaceId())
                && seen.generation() == grant.generation()
                && (seen.status() == WorkspaceStatus.ONLINE || seen.status() == WorkspaceStatus.DEGRADED);
    }

    /** Enters {@code degraded} at an error rate of 0.5 and leaves it below 0.1 (hysteresis). */
    private void degradeOrRecover(Workspace w, Heartbeat beat) {
        if (w.status() == WorkspaceStatus.ONLINE && beat.errorRate() >= DEGRADE_AT) {
            String sample = beat.sampleError() == null ? "" : beat.sampleError();
            lifecycle.apply(Transition.to(
                            w.id(),
                            WorkspaceStatus.DEGRADED,
                            new WorkspaceEvent.Degraded(w.id(), beat.errorRate(), sample),
                            clock.instant())
                    .onlyFrom(EnumSet.of(WorkspaceStatus.ONLINE))
                    .ifGeneration(w.generation()));
        } else if (w.status() == WorkspaceStatus.DEGRADED && beat.errorRate() < RECOVER_BELOW) {
            lifecycle.apply(Transition.to(
                            w.id(),
                            WorkspaceStatus.ONLINE,
                            new WorkspaceEvent.Online(w.id(), null, null, null),
                            clock.instant())
                    .onlyFrom(EnumSet.of(WorkspaceStatus.DEGRADED))
                    .ifGeneration(w.generation()));
        }
    }

    /** The workspace of {@code grant}; a grant for another workspace learns nothing of this one. */
    private Workspace current(WorkspaceId id, TokenGrant grant) {
        if (!grant.workspaceId().equals(id)) {
            throw UnauthorizedException.missing("invalid workspace auth token");
        }
        Workspace w = lifecycle.store().find(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
        if (w.status() == WorkspaceStatus.REMOVED) {
            throw new WorkspaceNotFoundException(id);
        }
        if (grant.generation() != w.generation()) {
            throw new ConflictException(
                    "this agent belongs to an earlier incarnation of the workspace; it should exit");
        }
        return w;
    }
}
