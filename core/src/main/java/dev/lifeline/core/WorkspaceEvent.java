package dev.lifeline.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a workspace, with the reference's event names and payload fields.
 * Persisted events are written in the same transaction as the state change they describe.
 */
public sealed interface WorkspaceEvent {

    WorkspaceId workspaceId();

    /** The wire name, e.g. {@code WORKSPACE_ONLINE}. */
    String type();

    /**
     * The payload object of the wire envelope: a JSON tree of maps, lists, strings, numbers and
     * booleans. What an agent sent is only ever in it as a parsed value or a string, never as text
     * spliced into the output.
     */
    Map<String, Object> payload();

    /** Whether the event is stored in {@code structure_events} (else broadcast only). */
    default boolean persisted() {
        return true;
    }

    record Provisioning(WorkspaceId workspaceId, String name, int tier, String runtime) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_PROVISIONING";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("name", name, "tier", tier, "runtime", runtime);
        }
    }

    /** The agent registered or a heartbeat brought the workspace back. */
    record Online(
            WorkspaceId workspaceId,
            @Nullable String url,
            @Nullable Map<String, @Nullable Object> agentCard,
            @Nullable String recoveredFrom)
            implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_ONLINE";
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            if (url != null) {
                payload.put("url", url);
            }
            if (agentCard != null) {
                payload.put("agent_card", agentCard);
            }
            if (recoveredFrom != null) {
                payload.put("recovered_from", recoveredFrom);
            }
            return payload;
        }
    }

    /** Death was proven; {@code detectedBy} names the health layer whose evidence was confirmed. */
    record Offline(WorkspaceId workspaceId, String detectedBy) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_OFFLINE";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("detected_by", detectedBy);
        }
    }

    record Degraded(WorkspaceId workspaceId, double errorRate, String sampleError) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_DEGRADED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("error_rate", errorRate, "sample_error", sampleError);
        }
    }

    record ProvisionFailed(WorkspaceId workspaceId, String error) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_PROVISION_FAILED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("error", error);
        }
    }

    record Removed(WorkspaceId workspaceId) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_REMOVED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of();
        }
    }

    record Heartbeat(WorkspaceId workspaceId, int activeTasks, long uptimeSeconds) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_HEARTBEAT";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("active_tasks", activeTasks, "uptime_seconds", uptimeSeconds);
        }

        @Override
        public boolean persisted() {
            return false;
        }
    }

    /** An external workspace waits for its operator's agent to register. */
    record AwaitingAgent(WorkspaceId workspaceId, String name) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_AWAITING_AGENT";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("name", name, "external", true);
        }
    }

    record Paused(WorkspaceId workspaceId, String name) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_PAUSED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("name", name);
        }
    }

    /** The workspace was removed; {@code cascadeDeleted} is set on the root of a cascading delete. */
    record RemovedCascade(WorkspaceId workspaceId, int cascadeDeleted) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_REMOVED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("cascade_deleted", cascadeDeleted);
        }
    }

    record Hibernated(WorkspaceId workspaceId, String name, int tier) implements WorkspaceEvent {
        @Override
        public String type() {
            return "WORKSPACE_HIBERNATED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("name", name, "tier", tier);
        }
    }

    /** An A2A call to the workspace was logged; broadcast only. */
    record ActivityLogged(WorkspaceId workspaceId, Map<String, Object> fields) implements WorkspaceEvent {
        public ActivityLogged {
            fields = Map.copyOf(fields);
        }

        @Override
        public String type() {
            return "ACTIVITY_LOGGED";
        }

        @Override
        public Map<String, Object> payload() {
            return fields;
        }

        @Override
        public boolean persisted() {
            return false;
        }
    }

    /**
     * What a canvas call's answer was, for the canvas to show (a preview of it); broadcast only. The
     * preview is made when the event is first shown, once, rather than when it is raised: most are
     * raised with nobody watching. A class rather than a record since the preview is made later: two
     * such events are equal only when they are the same event.
     */
    final class A2aResponse implements WorkspaceEvent {
        private final WorkspaceId workspaceId;
        private final Once<AnswerPreview> preview;
        private final String method;
        private final long durationMs;

        /** @param preview made at most once, when the event is first shown */
        public A2aResponse(WorkspaceId workspaceId, Supplier<AnswerPreview> preview, String method, long durationMs) {
            this.workspaceId = workspaceId;
            this.preview = new Once<>(preview);
            this.method = method;
            this.durationMs = durationMs;
        }

        public A2aResponse(WorkspaceId workspaceId, AnswerPreview response, String method, long durationMs) {
            this(workspaceId, () -> response, method, durationMs);
        }

        @Override
        public WorkspaceId workspaceId() {
            return workspaceId;
        }

        public AnswerPreview response() {
            return preview.get();
        }

        public String method() {
            return method;
        }

        public long durationMs() {
            return durationMs;
        }

        @Override
        public String type() {
            return "A2A_RESPONSE";
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            AnswerPreview response = response();
            payload.put("response_body", response.body());
            payload.put("response_size", response.size());
            payload.put("response_truncated", response.truncated());
            payload.put("method", method);
            payload.put("duration_ms", durationMs);
            return payload;
        }

        @Override
        public boolean persisted() {
            return false;
        }

        @Override
        public String toString() {
            return "A2aResponse[" + workspaceId + ", " + method + ", " + durationMs + " ms]";
        }
    }

    /** A heartbeat changed what the agent works on; broadcast only. An absent task is {@code ""}. */
    record TaskUpdated(WorkspaceId workspaceId, String currentTask, int activeTasks) implements WorkspaceEvent {
        @Override
        public String type() {
            return "TASK_UPDATED";
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of("current_task", currentTask, "active_tasks", activeTasks);
        }

        @Override
        public boolean persisted() {
            return false;
        }
    }

    /**
     * The agent (or the operator) replaced the workspace's agent card, a parsed JSON object. It is not
     * {@code persisted} when the card came with the registration that brought the workspace online,
     * whose stored {@link Online} event already holds it.
     */
    record AgentCardUpdated(WorkspaceId workspaceId, Map<String, @Nullable Object> agentCard, boolean persisted)
            implements WorkspaceEvent {
        @Override
        public String type() {
            return "AGENT_CARD_UPDATED";
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("agent_card", agentCard);
            return payload;
        }
    }

    /**
     * A delegation's queued call reached its target and was answered; stored on the calling
     * workspace ({@code via} names how it went, {@code queue_drain}).
     *
     * @param responsePreview the answer's first {@value #PREVIEW_CHARS} characters
     */
    record DelegationComplete(
            WorkspaceId workspaceId, String delegationId, WorkspaceId targetId, String responsePreview, String via)
            implements WorkspaceEvent {
        public static final int PREVIEW_CHARS = 200;

        public DelegationComplete {
            if (responsePreview.length() > PREVIEW_CHARS) {
                responsePreview = responsePreview.substring(0, PREVIEW_CHARS);
            }
        }

        @Override
        public String type() {
            return "DELEGATION_COMPLETE";
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("delegation_id", delegationId);
            payload.put("target_id", targetId.toString());
            payload.put("response_preview", responsePreview);
            payload.put("via", via);
            return payload;
        }
    }

    /**
     * An event another replica produced, as its wire name and parsed payload: subscribers here show
     * it as it was; what it means for a row, they read from the row.
     */
    record Relayed(WorkspaceId workspaceId, String type, Map<String, Object> payload, boolean persisted)
            implements WorkspaceEvent {
        public Relayed {
            payload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        }
    }
}
