package dev.lifeline.store;

import static dev.lifeline.store.StoreCalls.call;
import static dev.lifeline.store.StoreCalls.run;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.CanvasViewport;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.HeartbeatWrite;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.TreeRemoval;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * The store on Jdbi. Each method is one {@code withHandle} or {@code inTransaction} callback, so no
 * connection outlives a call; a state change and the event describing it commit together.
 */
final class JdbiWorkspaceStore implements JdbcStore {
    private static final String SELECT_WORKSPACE = "SELECT " + Rows.WORKSPACE_COLUMNS + " FROM workspaces";
    static final String NOT_REMOVED = "status <> 'removed'";

    private final Jdbi jdbi;
    private final ClusterChannel channel;
    private final Runnable onClose;
    private final JdbiCallQueue calls;
    private final AuditTrail trail;

    /**
     * @param trail where the audit trail is kept, closed before {@code onClose} runs
     * @param postgres whether the database is PostgreSQL (else H2), for the queue's claims
     */
    JdbiWorkspaceStore(Jdbi jdbi, AuditTrail trail, ClusterChannel channel, Runnable onClose, boolean postgres) {
        this.jdbi = jdbi;
        this.trail = trail;
        this.channel = channel;
        this.onClose = onClose;
        this.calls = new JdbiCallQueue(jdbi, postgres);
    }

    @Override
    public dev.lifeline.core.CallQueue callQueue() {
        return calls;
    }

    @Override
    public Workspace create(NewWorkspace w, WorkspaceEvent event, Instant at) {
        return call(
                "create workspace",
                () -> jdbi.inTransaction(h -> {
                    WorkspaceId parent = w.parentId();
                    if (parent != null) {
                        TreeWrites.lock(h);
                        TreeWrites.checkParent(h, w.id(), parent);
                    }
                    Long budget = w.budgetLimit();
                    h.createUpdate("INSERT INTO workspaces (id, name, role, tier, runtime, backend, status, url,"
                                    + " generation, parent_id, budget_limit, hibernation_idle_minutes, canvas_x, canvas_y,"
                                    + " created_at, updated_at) VALUES (:id, :name, :role, :tier, :runtime, :backend,"
                                    + " :status, :url, 1, :parent, :budget, :idle, :x, :y, :at, :at)")
                            .bind("id", w.id().value())
                            .bind("name", w.name())
                            .bind("role", w.role())
                            .bind("tier", w.tier())
                            .bind("runtime", w.runtime())
                            .bind("backend", w.backend())
                            .bind("status", w.status().wire())
                            .bind("url", w.url())
                            .bind("parent", parent == null ? null : parent.value())
                            .bind("budget", budget)
                            .bind("idle", w.hibernationIdleMinutes())
                            .bind("x", w.position().x())
                            .bind("y", w.position().y())
                            .bind("at", at)
                            .execute();
                    storeEvent(h, event, at);
                    return read(h, w.id()).orElseThrow();
                }));
    }

    @Override
    public Optional<Workspace> find(WorkspaceId id) {
        return call("find workspace", () -> jdbi.withHandle(h -> read(h, id)));
    }

    @Override
    public Optional<Workspace> update(WorkspaceId id, WorkspacePatch patch, Instant at) {
        return call(
                "update workspace",
                () -> jdbi.inTransaction(h -> {
                    if (patch.parentId() instanceof WorkspacePatch.Change.SetTo<WorkspaceId>(WorkspaceId parent)) {
                        TreeWrites.lock(h);
                        TreeWrites.checkParent(h, id, parent);
                    }
                    return PatchUpdate.prepare(h, id, patch, at).execute() == 1
                            ? read(h, id)
                            : Optional.<Workspace>empty();
                }));
    }

    @Override
    public TreeRemoval removeTree(WorkspaceId root, boolean withDescendants, Instant at) {
        return call(
                "remove workspace tree",
                () -> jdbi.inTransaction(h -> TreeWrites.removeTree(h, root, withDescendants, at)));
    }

    @Override
    public List<Workspace> list() {
        return call(
                "list workspaces",
                () -> jdbi.withHandle(
                        h -> h.createQuery(SELECT_WORKSPACE + " WHERE " + NOT_REMOVED + " ORDER BY created_at, id")
                                .map(Rows.WORKSPACE)
                                .list()));
    }

    @Override
    public List<Workspace> listByStatus(Set<WorkspaceStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return call(
                "list workspaces by status",
                () -> jdbi.withHandle(
                        h -> h.createQuery(SELECT_WORKSPACE + " WHERE status IN (<statuses>) ORDER BY created_at, id")
                                .bindList("statuses", wire(statuses))
                                .map(Rows.WORKSPACE)
                                .list()));
    }

    @Override
    public Optional<Workspace> transition(Transition t) {
        if (t.from().isEmpty()) {
            return Optional.empty();
        }
        return call(
                "transition workspace to " + t.to().wire(),
                () -> jdbi.inTransaction(h -> {
                    if (TransitionUpdate.prepare(h, t).execute() != 1) {
                        return Optional.<Workspace>empty();
                    }
                    storeEvent(h, t.event(), t.at());
                    return read(h, t.id());
                }));
    }

    @Override
    public boolean recordInstance(
            WorkspaceId id, long generation, InstanceRef ref, @Nullable String url, String startedBy, Instant at) {
        String sql = "UPDATE workspaces SET instance_ref = :ref, started_by = :startedBy, updated_at = :at"
                + (url == null ? "" : ", url = :url")
                + " WHERE id = :id AND generation = :generation"
                + " AND status NOT IN ('removed', 'paused', 'hibernated')";
        return call(
                "record workspace instance",
                () -> jdbi.withHandle(h -> {
                    var update = h.createUpdate(sql)
                            .bind("ref", ref.value())
                            .bind("startedBy", startedBy)
                            .bind("at", at)
                            .bind("id", id.value())
                            .bind("generation", generation);
                    if (url != null) {
                        update.bind("url", url);
                    }
                    return update.execute() == 1;
                }));
    }

    @Override
    public Optional<Workspace> recordHeartbeat(WorkspaceId id, Heartbeat hb, Instant at) {
        boolean spend = hb.monthlySpend() > 0;
        String sql = "UPDATE workspaces SET last_heartbeat_at = :at, last_error_rate = :rate,"
                + " last_sample_error = :sample, active_tasks = :tasks, uptime_seconds = :uptime,"
                + " current_task = :task" + (spend ? ", monthly_spend = :spend" : "")
                + " WHERE id = :id AND " + NOT_REMOVED;
        return call(
                "record heartbeat",
                () -> jdbi.inTransaction(h -> {
                    var update = h.createUpdate(sql)
                            .bind("at", at)
                            .bind("rate", hb.errorRate())
                            .bind("sample", hb.sampleError())
                            .bind("tasks", hb.activeTasks())
                            .bind("uptime", hb.uptimeSeconds())
                            .bind("task", hb.currentTask())
                            .bind("id", id.value());
                    if (spend) {
                        update.bind("spend", hb.monthlySpend());
                    }
                    return update.execute() == 1 ? read(h, id) : Optional.<Workspace>empty();
                }));
    }

    @Override
    public List<Workspace> restartsDue(Instant now) {
        return call(
                "find due restarts",
                () -> jdbi.withHandle(h -> h.createQuery(SELECT_WORKSPACE
                                + " WHERE status = :offline AND next_restart_at <= :now ORDER BY next_restart_at, id")
                        .bind("offline", WorkspaceStatus.OFFLINE.wire())
                        .bind("now", now)
                        .map(Rows.WORKSPACE)
                        .list()));
    }

    @Override
    public int recordHeartbeats(List<HeartbeatWrite> writes) {
        if (writes.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE workspaces SET last_heartbeat_at = :at, last_error_rate = :rate,"
                + " last_sample_error = :sample, active_tasks = :tasks, uptime_seconds = :uptime,"
                + " current_task = :task, monthly_spend = CASE WHEN :spend > 0 THEN :spend ELSE monthly_spend END"
                + " WHERE id = :id AND generation = :generation AND " + NOT_REMOVED
                // a heartbeat that took longer to arrive than a later one never replaces it
                + " AND (last_heartbeat_at IS NULL OR last_heartbeat_at <= :at)";
        return call(
                "record heartbeats",
                () -> jdbi.inTransaction(h -> {
                    PreparedBatch batch = h.prepareBatch(sql);
                    for (HeartbeatWrite w : writes) {
                        Heartbeat hb = w.heartbeat();
                        batch.bind("at", w.at())
                                .bind("rate", hb.errorRate())
                                .bind("sample", hb.sampleError())
                                .bind("tasks", hb.activeTasks())
                                .bind("uptime", hb.uptimeSeconds())
                                .bind("task", hb.currentTask())
                                .bind("spend", hb.monthlySpend())
                                .bind("id", w.id().value())
                                .bind("generation", w.generation())
                                .add();
                    }
                    return IntStream.of(batch.execute()).sum();
                }));
    }

    @Override
    public List<Workspace> silentSince(Set<WorkspaceStatus> statuses, Instant cutoff) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return call(
                "find silent workspaces",
                () -> jdbi.withHandle(h -> h.createQuery(SELECT_WORKSPACE
                                + " WHERE status IN (<statuses>) AND COALESCE(last_heartbeat_at, updated_at) < :cutoff"
                                + " ORDER BY created_at, id")
                        .bindList("statuses", wire(statuses))
                        .bind("cutoff", cutoff)
                        .map(Rows.WORKSPACE)
                        .list()));
    }

    @Override
    public void replaceToken(WorkspaceId id, long generation, byte[] sha256, String prefix, Instant at) {
        String hash = hex(sha256);
        run(
                "replace workspace token",
                () -> jdbi.useTransaction(h -> {
                    h.createUpdate("UPDATE workspace_auth_tokens SET revoked_at = :at"
                                    + " WHERE workspace_id = :id AND revoked_at IS NULL")
                            .bind("at", at)
                            .bind("id", id.value())
                            .execute();
                    h.createUpdate("INSERT INTO workspace_auth_tokens (workspace_id, generation, token_hash, prefix,"
                                    + " created_at) VALUES (:id, :generation, :hash, :prefix, :at)")
                            .bind("id", id.value())
                            .bind("generation", generation)
                            .bind("hash", hash)
                            .bind("prefix", prefix)
                            .bind("at", at)
                            .execute();
                }));
    }

    @Override
    public Optional<TokenGrant> findToken(byte[] sha256) {
        String hash = hex(sha256);
        return call(
                "find workspace token",
                () -> jdbi.withHandle(h -> h.createQuery(
                                "SELECT t.workspace_id, t.generation FROM workspace_auth_tokens t"
                                        + " JOIN workspaces w ON w.id = t.workspace_id"
                                        + " WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND w.status <> 'removed'")
                        .bind("hash", hash)
                        .map((rs, ctx) -> new TokenGrant(
                                new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")), rs.getLong("generation")))
                        .findOne()));
    }

    @Override
    public void recordEvent(WorkspaceEvent event, Instant at) {
        run("record event " + event.type(), () -> jdbi.useHandle(h -> storeEvent(h, event, at)));
    }

    /** Newest first, in the order the events were inserted (the identity column). */
    @Override
    public List<StoredEvent> recentEvents(@Nullable WorkspaceId id, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "SELECT " + Rows.EVENT_COLUMNS + " FROM structure_events"
                + (id == null ? "" : " WHERE workspace_id = :id") + " ORDER BY id DESC LIMIT :limit";
        return call(
                "read recent events",
                () -> jdbi.withHandle(h -> {
                    var query = h.createQuery(sql).bind("limit", limit);
                    if (id != null) {
                        query.bind("id", id.value());
                    }
                    return query.map(Rows.EVENT).list();
                }));
    }

    @Override
    public List<StoredEvent> eventsAfter(@Nullable WorkspaceId id, long afterId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "SELECT " + Rows.EVENT_COLUMNS + " FROM structure_events WHERE id > :after"
                + (id == null ? "" : " AND workspace_id = :id") + " ORDER BY id LIMIT :limit";
        return call(
                "read missed events",
                () -> jdbi.withHandle(h -> {
                    var query = h.createQuery(sql).bind("after", afterId).bind("limit", limit);
                    if (id != null) {
                        query.bind("id", id.value());
                    }
                    return query.map(Rows.EVENT).list();
                }));
    }

    @Override
    public void recordActivity(Activity activity) {
        trail.record(List.of(activity));
    }

    @Override
    public void recordActivities(List<Activity> activities) {
        if (!activities.isEmpty()) {
            trail.record(activities);
        }
    }

    @Override
    public List<Activity> recentActivity(WorkspaceId id, int limit) {
        return activity(ActivityQuery.recent(id, limit)).stream()
                .map(StoredActivity::activity)
                .toList();
    }

    @Override
    public List<StoredActivity> activity(ActivityQuery query) {
        return query.limit() <= 0 ? List.of() : trail.select(query);
    }

    @Override
    public Optional<Instant> lastActivityAt(WorkspaceId id) {
        return trail.lastAt(id);
    }

    @Override
    public List<Workspace> hibernationCandidates() {
        return call(
                "list hibernation candidates",
                () -> jdbi.withHandle(h -> h.createQuery(SELECT_WORKSPACE
                                + " WHERE hibernation_idle_minutes > 0 AND status IN ('online', 'degraded')"
                                + " AND active_tasks = 0 AND backend <> 'external' ORDER BY created_at")
                        .map(Rows.WORKSPACE)
                        .list()));
    }

    @Override
    public int deleteActivityOlderThan(Instant cutoff, int limit) {
        return trail.deleteOlderThan(cutoff, limit);
    }

    @Override
    public int deleteEventsOlderThan(Instant cutoff, int limit) {
        return call(
                "delete old events", () -> jdbi.withHandle(h -> OldRows.delete(h, "structure_events", cutoff, limit)));
    }

    @Override
    public Optional<Workspace> replaceAgentCard(
            WorkspaceId id, String agentCardJson, WorkspaceEvent event, Instant at) {
        return call(
                "replace agent card",
                () -> jdbi.inTransaction(h -> {
                    int changed = h.createUpdate(
                                    "UPDATE workspaces SET agent_card = :card WHERE id = :id AND " + NOT_REMOVED)
                            .bind("card", agentCardJson)
                            .bind("id", id.value())
                            .execute();
                    if (changed != 1) {
                        return Optional.<Workspace>empty();
                    }
                    storeEvent(h, event, at);
                    return read(h, id);
                }));
    }

    @Override
    public CanvasViewport viewport() {
        return call("read canvas viewport", () -> jdbi.withHandle(h -> CanvasViewports.read(h)));
    }

    @Override
    public void saveViewport(CanvasViewport viewport, Instant at) {
        run("save canvas viewport", () -> jdbi.useHandle(h -> CanvasViewports.save(h, viewport, at)));
    }

    @Override
    public String fleetId(String candidate) {
        return call("claim the fleet id", () -> jdbi.inTransaction(h -> FleetIds.claim(h, candidate)));
    }

    @Override
    public ClusterChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close();
        try {
            trail.close();
        } finally {
            onClose.run();
        }
    }

    static Optional<Workspace> read(Handle h, WorkspaceId id) {
        return h.createQuery(SELECT_WORKSPACE + " WHERE id = :id")
                .bind("id", id.value())
                .map(Rows.WORKSPACE)
                .findOne();
    }

    /** Inserts the event unless it is broadcast-only. */
    static void storeEvent(Handle h, WorkspaceEvent event, Instant at) {
        if (!event.persisted()) {
            return;
        }
        h.createUpdate("INSERT INTO structure_events (event_type, workspace_id, payload, created_at)"
                        + " VALUES (:type, :workspace, :payload, :at)")
                .bind("type", event.type())
                .bind("workspace", event.workspaceId().value())
                .bind("payload", PayloadJson.write(event.payload()))
                .bind("at", at)
                .execute();
    }

    private static List<String> wire(Set<WorkspaceStatus> statuses) {
        return statuses.stream().map(WorkspaceStatus::wire).toList();
    }

    private static String hex(byte[] sha256) {
        return HexFormat.of().formatHex(sha256);
    }
}
