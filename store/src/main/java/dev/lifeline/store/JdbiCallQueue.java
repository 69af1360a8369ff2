package dev.lifeline.store;

import static dev.lifeline.store.StoreCalls.call;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.NewQueuedCall;
import dev.lifeline.core.QueueState;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;

/**
 * The call queue on Jdbi. On PostgreSQL a claim is one statement that locks its rows with {@code FOR
 * UPDATE SKIP LOCKED}, so concurrent drainers take disjoint calls without waiting on each other. H2
 * has no such lock, so there each candidate is claimed by a guarded update ({@code AND state =
 * 'queued'}) and counted only if it changed the row: a call another drainer took is skipped.
 */
final class JdbiCallQueue implements CallQueue {
    private static final String COLUMNS = "id, workspace_id, caller, message_id, body, headers, priority, state,"
            + " attempts, enqueued_at, claimed_until, last_error, reply_status, reply_body, finished_at";
    private static final String NEXT =
            "workspace_id = :ws AND state = 'queued' ORDER BY priority DESC, enqueued_at, id";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_REASON_CHARS = 2000;

    private final Jdbi jdbi;
    private final boolean postgres;

    JdbiCallQueue(Jdbi jdbi, boolean postgres) {
        this.jdbi = jdbi;
        this.postgres = postgres;
    }

    @Override
    public Enqueued enqueue(NewQueuedCall c, Instant at) {
        Optional<Long> inserted = call("queue a call", () -> insert(c, at));
        return call(
                "queue a call",
                () -> jdbi.withHandle(h -> {
                    long id = inserted.orElseGet(() -> h.createQuery(
                                    "SELECT id FROM a2a_queue WHERE workspace_id = :ws AND message_id = :mid")
                            .bind("ws", c.workspaceId().value())
                            .bind("mid", c.messageId())
                            .mapTo(Long.class)
                            .one());
                    return new Enqueued(id, inserted.isEmpty(), depth(h, c.workspaceId()));
                }));
    }

    /** The new row's id, or empty when the message id is already in the workspace's queue. */
    private Optional<Long> insert(NewQueuedCall c, Instant at) {
        try {
            return Optional.of(jdbi.withHandle(h -> h.createUpdate(
                            "INSERT INTO a2a_queue (workspace_id, caller, message_id, body, headers, priority, state,"
                                    + " attempts, enqueued_at) VALUES (:ws, :caller, :mid, :body, :headers, :priority,"
                                    + " 'queued', 0, :at)")
                    .bind("ws", c.workspaceId().value())
                    .bind("caller", c.caller())
                    .bind("mid", c.messageId())
                    .bind("body", new String(c.body(), StandardCharsets.UTF_8))
                    .bind("headers", headerLines(c.headers()))
                    .bind("priority", c.priority())
                    .bind("at", at)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one()));
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static int depth(Handle h, WorkspaceId ws) {
        return h.createQuery("SELECT COUNT(*) FROM a2a_queue WHERE workspace_id = :ws AND state = 'queued'")
                .bind("ws", ws.value())
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public List<QueuedCall> claim(WorkspaceId ws, int limit, Instant now, Duration lease) {
        if (limit < 1) {
            return List.of();
        }
        Instant until = now.plus(lease);
        List<QueuedCall> claimed = call(
                "claim queued calls", () -> postgres ? claimLocked(ws, limit, until) : claimGuarded(ws, limit, until));
        return claimed.stream()
                .sorted(Comparator.comparingInt(QueuedCall::priority)
                        .reversed()
                        .thenComparing(QueuedCall::enqueuedAt)
                        .thenComparingLong(QueuedCall::id))
                .toList();
    }

    private List<QueuedCall> claimLocked(WorkspaceId ws, int limit, Instant until) {
        return jdbi.inTransaction(
                h -> h.createQuery("UPDATE a2a_queue SET state = 'delivering', attempts = attempts + 1,"
                                + " claimed_until = :until WHERE id IN (SELECT id FROM a2a_queue WHERE " + NEXT
                                + " LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                        .bind("ws", ws.value())
                        .bind("limit", limit)
                        .bind("until", until)
                        .map(JdbiCallQueue::row)
                        .list());
    }

    private List<QueuedCall> claimGuarded(WorkspaceId ws, int limit, Instant until) {
        return jdbi.withHandle(h -> {
            List<Long> candidates = h.createQuery("SELECT id FROM a2a_queue WHERE " + NEXT + " LIMIT :limit")
                    .bind("ws", ws.value())
                    .bind("limit", limit)
                    .mapTo(Long.class)
                    .list();
            return candidates.stream()
                    .filter(id -> h.createUpdate("UPDATE a2a_queue SET state = 'delivering', attempts = attempts + 1,"
                                            + " claimed_until = :until WHERE id = :id AND state = 'queued'")
                                    .bind("until", until)
                                    .bind("id", id)
                                    .execute()
                            == 1)
                    .map(id -> read(h, id).orElseThrow())
                    .toList();
        });
    }

    @Override
    public boolean requeue(long id, String reason, Instant at) {
        return move(id, QueueState.DELIVERING, "state = 'queued', claimed_until = NULL, last_error = :reason", reason);
    }

    @Override
    public boolean delivered(long id, int status, @Nullable String body, Instant at) {
        return call(
                "mark a queued call delivered",
                () -> jdbi.withHandle(h -> h.createUpdate(
                                        "UPDATE a2a_queue SET state = 'delivered', claimed_until = NULL, reply_status = :status,"
                                                + " reply_body = :body, finished_at = :at WHERE id = :id AND state = 'delivering'")
                                .bind("status", status)
                                .bind("body", body)
                                .bind("at", at)
                                .bind("id", id)
                                .execute()
                        == 1));
    }

    @Override
    public boolean fail(long id, String reason, Instant at) {
        return call(
                "fail a queued call",
                () -> jdbi.withHandle(h -> h.createUpdate(
                                        "UPDATE a2a_queue SET state = 'failed', claimed_until = NULL, last_error = :reason,"
                                                + " finished_at = :at WHERE id = :id AND state IN ('queued', 'delivering')")
                                .bind("reason", bounded(reason))
                                .bind("at", at)
                                .bind("id", id)
                                .execute()
                        == 1));
    }

    private boolean move(long id, QueueState from, String set, String reason) {
        return call(
                "move a queued call",
                () -> jdbi.withHandle(
                        h -> h.createUpdate("UPDATE a2a_queue SET " + set + " WHERE id = :id AND state = :from")
                                        .bind("reason", bounded(reason))
                                        .bind("from", from.wire())
                                        .bind("id", id)
                                        .execute()
                                == 1));
    }

    @Override
    public int releaseExpiredClaims(Instant now) {
        return call(
                "release expired claims",
                () -> jdbi.withHandle(h -> h.createUpdate("UPDATE a2a_queue SET state = 'queued', claimed_until = NULL,"
                                + " last_error = 'the delivery was cut off (its server stopped); retried'"
                                + " WHERE state = 'delivering' AND claimed_until < :now")
                        .bind("now", now)
                        .execute()));
    }

    @Override
    public int expire(int maxAttempts, Instant oldest, Instant at) {
        return call(
                "expire queued calls",
                () -> jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE a2a_queue SET state = 'failed', finished_at = :at, last_error = CASE WHEN attempts >= :max"
                                        + " THEN 'not delivered after ' || CAST(attempts AS VARCHAR(12)) || ' attempts'"
                                        + " || COALESCE(': ' || last_error, '') ELSE 'not delivered before it expired'"
                                        + " || COALESCE(': ' || last_error, '') END"
                                        + " WHERE state = 'queued' AND (attempts >= :max OR enqueued_at < :oldest)")
                        .bind("max", maxAttempts)
                        .bind("oldest", oldest)
                        .bind("at", at)
                        .execute()));
    }

    @Override
    public int dropStale(Instant cutoff, @Nullable WorkspaceId ws, Instant at) {
        return call(
                "drop stale queued calls",
                () -> jdbi.withHandle(h -> h.createUpdate("UPDATE a2a_queue SET state = 'dropped', finished_at = :at,"
                                + " last_error = 'dropped by the operator as stale' || COALESCE(' (last error: '"
                                + " || last_error || ')', '') WHERE state = 'queued' AND enqueued_at < :cutoff"
                                + (ws == null ? "" : " AND workspace_id = :ws"))
                        .bind("at", at)
                        .bind("cutoff", cutoff)
                        .bindByType("ws", ws == null ? null : ws.value(), java.util.UUID.class)
                        .execute()));
    }

    @Override
    public Optional<QueuedCall> find(WorkspaceId ws, long id) {
        return call("find a queued call", () -> jdbi.withHandle(h -> read(h, id)))
                .filter(c -> c.workspaceId().equals(ws));
    }

    private static Optional<QueuedCall> read(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM a2a_queue WHERE id = :id")
                .bind("id", id)
                .map(JdbiCallQueue::row)
                .findOne();
    }

    @Override
    public List<QueuedCall> list(WorkspaceId ws, int limit) {
        return call(
                "list queued calls",
                () -> jdbi.withHandle(h -> h.createQuery(
                                "SELECT " + COLUMNS
                                        + " FROM a2a_queue WHERE workspace_id = :ws ORDER BY enqueued_at DESC, id DESC LIMIT :limit")
                        .bind("ws", ws.value())
                        .bind("limit", limit)
                        .map(JdbiCallQueue::row)
                        .list()));
    }

    @Override
    public Map<WorkspaceId, Integer> depths() {
        return call(
                "count queued calls",
                () -> jdbi.withHandle(h -> {
                    Map<WorkspaceId, Integer> depths = new HashMap<>();
                    h.createQuery("SELECT workspace_id, COUNT(*) AS depth FROM a2a_queue WHERE state = 'queued'"
                                    + " GROUP BY workspace_id")
                            .map((rs, ctx) -> Map.entry(
                                    new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")), rs.getInt("depth")))
                            .forEach(e -> depths.put(e.getKey(), e.getValue()));
                    return depths;
                }));
    }

    @Override
    public int deleteFinishedOlderThan(Instant cutoff, int limit) {
        return call(
                "delete finished queued calls",
                () -> jdbi.withHandle(h -> h.createUpdate(
                                "DELETE FROM a2a_queue WHERE id IN (SELECT id FROM a2a_queue WHERE finished_at < :cutoff"
                                        + " ORDER BY finished_at LIMIT :limit)")
                        .bind("cutoff", cutoff)
                        .bind("limit", limit)
                        .execute()));
    }

    private static QueuedCall row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new QueuedCall(
                rs.getLong("id"),
                new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")),
                rs.getString("caller"),
                rs.getString("message_id"),
                rs.getString("body").getBytes(StandardCharsets.UTF_8),
                headers(rs.getString("headers")),
                rs.getInt("priority"),
                QueueState.fromWire(rs.getString("state")),
                rs.getInt("attempts"),
                SqlTypes.requiredInstant(rs, "enqueued_at"),
                SqlTypes.instant(rs, "claimed_until"),
                rs.getString("last_error"),
                rs.getObject("reply_status", Integer.class),
                rs.getString("reply_body"),
                SqlTypes.instant(rs, "finished_at"));
    }

    /** Headers as {@code name: value} lines; header names and values hold no line breaks. */
    private static String headerLines(Map<String, String> headers) {
        StringBuilder lines = new StringBuilder();
        headers.forEach(
                (name, value) -> lines.append(name).append(": ").append(value).append('\n'));
        return lines.toString();
    }

    private static Map<String, String> headers(String lines) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return headers;
    }

    private static String bounded(String reason) {
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS);
    }
}
