package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and bounds what agents (and, for a card, the operator) send to {@code /registry}: every field typed, every number in range,
 * every text within {@link InputLimits}, so no agent can grow the database or overflow a deadline.
 */
final class RegistryRequests {
    static final String REGISTER_HINT = "send {\"id\", \"url\", \"agent_card\"}";
    static final String UPDATE_CARD_HINT = "send {\"workspace_id\", \"agent_card\"}";
    static final String HEARTBEAT_HINT = "send {\"workspace_id\", \"error_rate\", \"active_tasks\", ...}";

    /** The most tasks an agent may say it takes at once: the most queued calls one round sends it. */
    static final int MAX_CAPACITY = 10_000;

    private RegistryRequests() {}

    /** A registration: the agent's URL and its card, a JSON object within its bound. */
    record Registration(WorkspaceId id, String url, JsonNode agentCard) {}

    /**
     * A heartbeat, the idle window the agent announces for calls to it, and its capacity.
     *
     * @param idleTimeout null when the agent announces none (the server's default then applies)
     * @param capacity {@code max_concurrent_tasks}, null when the agent does not say
     * @param nativeSession {@code runtime_metadata.capabilities.session}: the agent retries busy calls itself
     */
    record Beat(
            WorkspaceId id,
            Heartbeat heartbeat,
            @Nullable Duration idleTimeout,
            @Nullable Integer capacity,
            boolean nativeSession) {}

    /** A card update: the workspace and its new card, a JSON object within the registration's bound. */
    record CardUpdate(WorkspaceId id, JsonNode agentCard) {}

    static CardUpdate cardUpdate(JsonNode body) {
        BodyFields fields = new BodyFields(body, UPDATE_CARD_HINT);
        WorkspaceId id = id(fields, "workspace_id");
        return new CardUpdate(id, card(fields));
    }

    static Registration registration(JsonNode body) {
        BodyFields fields = new BodyFields(body, REGISTER_HINT);
        WorkspaceId id = id(fields, "id");
        String url = fields.required("url", InputLimits.URL_CHARS);
        return new Registration(id, url, card(fields));
    }

    private static JsonNode card(BodyFields fields) {
        JsonNode card = fields.object("agent_card", InputLimits.AGENT_CARD_BYTES);
        if (card == null) {
            throw fields.invalid("agent_card", "is required and must be a JSON object");
        }
        return card;
    }

    static Beat heartbeat(JsonNode body) {
        BodyFields fields = new BodyFields(body, HEARTBEAT_HINT);
        WorkspaceId id = id(fields, "workspace_id");
        Heartbeat beat = new Heartbeat(
                Objects.requireNonNullElse(fields.number("error_rate", 0, 1), 0.0),
                fields.textOfBytes("sample_error", InputLimits.SAMPLE_ERROR_BYTES),
                Math.toIntExact(orZero(fields.whole("active_tasks", 0, InputLimits.MAX_ACTIVE_TASKS))),
                orZero(fields.whole("uptime_seconds", 0, InputLimits.MAX_UPTIME_SECONDS)),
                fields.textOfBytes("current_task", InputLimits.CURRENT_TASK_BYTES),
                orZero(fields.whole("monthly_spend", 0, InputLimits.MAX_MONTHLY_SPEND_CENTS)));
        Long capacity = fields.whole("max_concurrent_tasks", 1, MAX_CAPACITY);
        return new Beat(
                id,
                beat,
                idleTimeout(fields),
                capacity == null ? null : Math.toIntExact(capacity),
                nativeSession(fields));
    }

    /** {@code runtime_metadata.capabilities.session}; absent means false. */
    private static boolean nativeSession(BodyFields fields) {
        JsonNode metadata = fields.object("runtime_metadata", InputLimits.RUNTIME_METADATA_BYTES);
        if (metadata == null || !metadata.path("capabilities").isObject()) {
            return false;
        }
        BodyFields capabilities =
                fields.nested(metadata, "runtime_metadata").nested(metadata.path("capabilities"), "capabilities");
        return Boolean.TRUE.equals(capabilities.bool("session"));
    }

    /** {@code runtime_metadata.idle_timeout_seconds}; absent or 0 means none. */
    private static @Nullable Duration idleTimeout(BodyFields fields) {
        JsonNode metadata = fields.object("runtime_metadata", InputLimits.RUNTIME_METADATA_BYTES);
        if (metadata == null) {
            return null;
        }
        Long seconds = fields.nested(metadata, "runtime_metadata")
                .whole("idle_timeout_seconds", 0, InputLimits.LONGEST_WAIT.toSeconds());
        return seconds == null || seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    private static WorkspaceId id(BodyFields fields, String field) {
        String text = fields.required(field, InputLimits.ID_CHARS);
        try {
            return WorkspaceId.parse(text);
        } catch (InvalidRequestException e) {
            throw fields.invalid(field, "must be a workspace id");
        }
    }

    private static long orZero(@Nullable Long value) {
        return value == null ? 0 : value;
    }
}
