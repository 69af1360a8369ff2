package dev.lifeline.store;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.WorkspaceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/** The statements on {@code activity_logs}, the A2A audit trail; each runs on its caller's handle. */
final class ActivityLog {
    private static final String COLUMNS = "workspace_id, activity_type, source_id, target_id, method, summary,"
            + " request_body, response_body, duration_ms, status, error_detail, created_at";

    private static final String INSERT =
            "INSERT INTO activity_logs (" + COLUMNS + ")" + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private ActivityLog() {}

    /**
     * Inserts all rows in one batch, in order. Bound straight on the JDBC statement: this runs for
     * every proxied call, and Jdbi's named binding cost as much again as setting the values.
     */
    static void insertAll(Handle h, List<Activity> activities) {
        try (PreparedStatement s = h.getConnection().prepareStatement(INSERT)) {
            for (Activity a : activities) {
                WorkspaceId target = a.targetId();
                s.setObject(1, a.workspaceId().value());
                s.setString(2, a.activityType());
                text(s, 3, a.sourceId());
                if (target == null) {
                    s.setNull(4, Types.OTHER);
                } else {
                    s.setObject(4, target.value());
                }
                text(s, 5, a.method());
                s.setString(6, a.summary());
                text(s, 7, a.requestBody());
                text(s, 8, a.responseBody());
                s.setLong(9, a.durationMs());
                s.setString(10, a.status());
                text(s, 11, a.errorDetail());
                s.setObject(12, SqlTypes.utc(a.at()));
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("could not record activity", e);
        }
    }

    private static void text(PreparedStatement s, int position, @Nullable String value) throws SQLException {
        if (value == null) {
            s.setNull(position, Types.VARCHAR);
        } else {
            s.setString(position, value);
        }
    }

    /**
     * Newest first (activity recorded at the same instant in reverse order of recording), of one type
     * and one kind of caller when the query names them.
     */
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

    /** The oldest rows by id, for moving them elsewhere. */
    static List<StoredActivity> oldest(Handle h, int limit) {
        return h.createQuery("SELECT id, " + COLUMNS + " FROM activity_logs ORDER BY id LIMIT :limit")
                .bind("limit", limit)
                .map(ActivityLog::stored)
                .list();
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
