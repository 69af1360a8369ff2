package dev.lifeline.store;

import dev.lifeline.core.CanvasPosition;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.RestartState;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** The columns the store reads and how a row becomes a domain record. */
final class Rows {
    static final String WORKSPACE_COLUMNS = "id, name, role, tier, runtime, backend, status, url, instance_ref,"
            + " generation, parent_id, agent_card, last_heartbeat_at, active_tasks, last_error_rate,"
            + " uptime_seconds, restart_attempts, failure_reason, created_at, updated_at, budget_limit,"
            + " monthly_spend, current_task, last_sample_error, hibernation_idle_minutes, canvas_x, canvas_y,"
            + " canvas_collapsed, restart_streak_started_at, next_restart_at, online_since, started_by";

    static final String EVENT_COLUMNS = "id, event_type, workspace_id, payload, created_at";

    static final RowMapper<Workspace> WORKSPACE = Rows::workspace;
    static final RowMapper<StoredEvent> EVENT = Rows::event;

    private Rows() {}

    private static Workspace workspace(ResultSet rs, StatementContext ctx) throws SQLException {
        UUID parent = SqlTypes.uuid(rs, "parent_id");
        String instance = rs.getString("instance_ref");
        return new Workspace(
                new WorkspaceId(SqlTypes.requiredUuid(rs, "id")),
                rs.getString("name"),
                rs.getString("role"),
                rs.getInt("tier"),
                rs.getString("runtime"),
                rs.getString("backend"),
                WorkspaceStatus.fromWire(rs.getString("status")),
                rs.getString("url"),
                instance == null ? null : new InstanceRef(instance),
                rs.getLong("generation"),
                parent == null ? null : new WorkspaceId(parent),
                rs.getString("agent_card"),
                SqlTypes.instant(rs, "last_heartbeat_at"),
                rs.getInt("active_tasks"),
                rs.getDouble("last_error_rate"),
                rs.getLong("uptime_seconds"),
                new RestartState(
                        rs.getInt("restart_attempts"),
                        SqlTypes.instant(rs, "restart_streak_started_at"),
                        SqlTypes.instant(rs, "next_restart_at")),
                rs.getString("failure_reason"),
                SqlTypes.requiredInstant(rs, "created_at"),
                SqlTypes.requiredInstant(rs, "updated_at"),
                rs.getObject("budget_limit", Long.class),
                rs.getLong("monthly_spend"),
                rs.getString("current_task"),
                rs.getString("last_sample_error"),
                rs.getObject("hibernation_idle_minutes", Integer.class),
                new CanvasPosition(rs.getDouble("canvas_x"), rs.getDouble("canvas_y")),
                rs.getBoolean("canvas_collapsed"),
                SqlTypes.instant(rs, "online_since"),
                rs.getString("started_by"));
    }

    private static StoredEvent event(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredEvent(
                rs.getLong("id"),
                rs.getString("event_type"),
                new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")),
                rs.getString("payload"),
                SqlTypes.requiredInstant(rs, "created_at"));
    }
}
