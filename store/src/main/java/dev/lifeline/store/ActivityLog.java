package dev.lifeline.store;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.WorkspaceId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/** The statements on {@code activity_logs}, the A2A audit trail; each runs on its caller's handle. */
final class ActivityLog {
    private static final String COLUMNS = "workspace_id, activity_type, source_id, target_id, method, summary,"
            + " request_body, response_body, duration_ms, status, error_detail, created_at";

    private ActivityLog() {}

    private static final String INSERT = "INSERT INTO activity_logs (" + COLUMNS + ") VALUES (:workspace, :type,"
            + " :source, :target, :method, :summary, :request, :response, :duration, :status, :error, :at)";

    static void insert(Handle h, Activity a) {
        bind(h.createUpdate(INSERT), a).execute();
    }

    /** Inserts all rows in one batch, in order. */
    static void insertAll(Handle h, List<Activity> activities) {
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (Activity a : activities) {
            bind(batch, a).add();
        }
        batch.execute();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Activity a) {
        WorkspaceId target = a.targetId();
        return statement
                .bind("workspace", a.workspaceId().value())
                .bind("type", a.activityType())
                .bind("source", a.sourceId())
                .bind("target", target == null ? null : target.value())
                .bind("method", a.method())
                .bind("summary", a.summary())
                .bind("request", a.requestBody())
                .bind("response", a.responseBody())
                .bind("duration", a.durationMs())
                .bind("status", a.status())
                .bind("error", a.errorDetail())
                .bind("at", a.at());
    }

    /** Newest first; activity recorded at the same instant comes in reverse order of recording. */
    static List<Activity> recent(Handle h, WorkspaceId id, int limit) {
        return select(h, ActivityQuery.recent(id, limit)).stream()
                .map(StoredActivity::activity)
                .toList();
    }

    /** As {@link #recent}, of one type and one kind of caller when the query names them. */
    static List<StoredActivity> select(Handle h, ActivityQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, " + COLUMNS + " FROM activity_logs WHERE workspace_id = :id");
        if (q.type() != null) {
            sql.append(" AND activity_type = :type");
        }
        switch (q.callers()) {
            case ANY -> {}
            case OPERATOR -> sql.append(" AND source_id IS NULL");
            case WORKSPACES -> sql.append(" AND source_id IS NOT NULL");
        }
        Query query = h.createQuery(sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit")
                        .toString())
                .bind("id", q.workspaceId().value())
                .bind("limit", q.limit());
        if (q.type() != null) {
            query.bind("type", q.type());
        }
        return query.map(ActivityLog::stored).list();
    }

    /** When the workspace last took part in a call, as target or as caller. */
    static Optional<Instant> lastAt(Handle h, WorkspaceId id) {
        List<@Nullable Instant> last = h.createQuery("SELECT MAX(created_at) AS last_at FROM activity_logs"
                        + " WHERE workspace_id = :id OR source_id = :source")
                .bind("id", id.value())
                .bind("source", id.toString())
                .map((rs, ctx) -> SqlTypes.instant(rs, "last_at"))
                .list();
        return last.stream().filter(Objects::nonNull).findFirst();
    }

    private static StoredActivity stored(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredActivity(rs.getLong("id"), activity(rs));
    }

    private static Activity activity(ResultSet rs) throws SQLException {
        UUID target = SqlTypes.uuid(rs, "target_id");
        return new Activity(
                new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")),
                rs.getString("activity_type"),
                rs.getString("source_id"),
                target == null ? null : new WorkspaceId(target),
                rs.getString("method"),
                rs.getString("summary"),
                rs.getString("request_body"),
                rs.getString("response_body"),
                rs.getLong("duration_ms"),
                rs.getString("status"),
                rs.getString("error_detail"),
                SqlTypes.requiredInstant(rs, "created_at"));
    }
}
