package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.Activity;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of workspaces and activity rows: the reference's field names plus Lifeline's own.
 * A workspace carries the canvas's layout of it as {@code x}, {@code y} and {@code collapsed}.
 */
final class WorkspaceView {
    private WorkspaceView() {}

    static Map<String, @Nullable Object> of(Workspace w) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("id", w.id().toString());
        m.put("name", w.name());
        m.put("role", w.role());
        m.put("tier", w.tier());
        m.put("status", w.status().wire());
        m.put("url", w.url() == null ? "" : w.url());
        m.put("parent_id", w.parentId() == null ? null : w.parentId().toString());
        m.put("runtime", w.runtime());
        m.put("backend", w.backend());
        m.put("generation", w.generation());
        m.put("instance_ref", w.instanceRef() == null ? null : w.instanceRef().value());
        m.put("agent_card", w.agentCard() == null ? null : Json.value(w.agentCard()));
        m.put(
                "last_heartbeat_at",
                w.lastHeartbeatAt() == null ? null : w.lastHeartbeatAt().toString());
        m.put("active_tasks", w.activeTasks());
        m.put("last_error_rate", w.lastErrorRate());
        m.put("uptime_seconds", w.uptimeSeconds());
        m.put("restart_attempts", w.restartAttempts());
        m.put("failure_reason", w.failureReason());
        m.put("budget_limit", w.budgetLimit());
        m.put("monthly_spend", w.monthlySpend());
        m.put("current_task", w.currentTask());
        m.put("last_sample_error", w.lastSampleError());
        m.put("hibernation_idle_minutes", w.hibernationIdleMinutes());
        m.put("created_at", w.createdAt().toString());
        m.put("updated_at", w.updatedAt().toString());
        m.put("x", w.position().x());
        m.put("y", w.position().y());
        m.put("collapsed", w.collapsed());
        return m;
    }

    /**
     * An audit-trail row. Its id is a string, as the canvas types it; the bodies are JSON values when
     * the stored text is exactly one (a body the proxy clipped is not, and stays a string).
     */
    static Map<String, @Nullable Object> of(StoredActivity stored) {
        Activity a = stored.activity();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(stored.id()));
        m.put("workspace_id", a.workspaceId().toString());
        m.put("activity_type", a.activityType());
        m.put("source_id", a.sourceId());
        m.put("target_id", a.targetId() == null ? null : a.targetId().toString());
        m.put("method", a.method());
        m.put("summary", a.summary());
        m.put("request_body", body(a.requestBody()));
        m.put("response_body", body(a.responseBody()));
        m.put("duration_ms", a.durationMs());
        m.put("status", a.status());
        m.put("error_detail", a.errorDetail());
        m.put("created_at", a.at().toString());
        return m;
    }

    private static @Nullable JsonNode body(@Nullable String stored) {
        return stored == null ? null : Json.value(stored);
    }
}
