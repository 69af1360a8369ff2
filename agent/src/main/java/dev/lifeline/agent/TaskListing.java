package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code ListTasks} (A2A 1.0 §3.1.4): filters the known tasks, sorts them most recently updated
 * first, and pages through them with an opaque cursor (the position of the last task of the page).
 */
final class TaskListing {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 100;

    /** Newest status first; the id breaks ties so that every task has one place in the order. */
    private static final Comparator<TaskSnapshot> ORDER =
            Comparator.comparing(TaskSnapshot::timestamp).reversed().thenComparing(TaskSnapshot::id);

    /** A parsed {@code ListTasksRequest}; {@code historyLength} is -1 when not limited. */
    record Query(
            @Nullable String contextId,
            @Nullable TaskState status,
            int pageSize,
            @Nullable TaskSnapshot after,
            int historyLength,
            @Nullable Instant updatedSince,
            boolean includeArtifacts) {}

    private TaskListing() {}

    /** @throws JsonRpcException invalid params, naming the field */
    static Query parse(@Nullable JsonNode rawParams) {
        JsonNode params = Params.objectOrEmpty(rawParams);
        return new Query(
                Params.text(params, "contextId"),
                status(params.get("status")),
                pageSize(params.get("pageSize")),
                cursor(Params.text(params, "pageToken")),
                Params.historyLength(params),
                timestamp(params.get("statusTimestampAfter")),
                flag(params.get("includeArtifacts")));
    }

    /** The page of {@code tasks} that {@code query} asks for, as a {@code ListTasksResponse}. */
    static ObjectNode page(List<TaskSnapshot> tasks, Query query, Dialect dialect) {
        List<TaskSnapshot> matching =
                tasks.stream().filter(t -> matches(t, query)).sorted(ORDER).toList();
        List<TaskSnapshot> rest = query.after() == null
                ? matching
                : matching.stream()
                        .filter(t -> ORDER.compare(t, query.after()) > 0)
                        .toList();
        List<TaskSnapshot> page = rest.subList(0, Math.min(query.pageSize(), rest.size()));
        ObjectNode response = Json.NODES.objectNode();
        ArrayNode shown = response.putArray("tasks");
        page.forEach(t -> shown.add(dialect.task(shape(t, query))));
        boolean more = rest.size() > page.size();
        response.put("nextPageToken", more ? token(page.getLast()) : "");
        return response.put("pageSize", query.pageSize()).put("totalSize", matching.size());
    }

    private static boolean matches(TaskSnapshot task, Query query) {
        return (query.contextId() == null || query.contextId().equals(task.contextId()))
                && (query.status() == null || query.status() == task.state())
                && (query.updatedSince() == null || !task.timestamp().isBefore(query.updatedSince()));
    }

    private static TaskSnapshot shape(TaskSnapshot task, Query query) {
        TaskSnapshot limited = query.historyLength() < 0 ? task : task.withHistoryLimit(query.historyLength());
        return query.includeArtifacts() ? limited : limited.withoutArtifacts();
    }

    private static String token(TaskSnapshot last) {
        String position = last.timestamp() + "|" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a page token names, as a stand-in task with that timestamp and id. */
    private static @Nullable TaskSnapshot cursor(@Nullable String token) {
        if (token == null) {
            return null;
        }
        try {
            String position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = position.indexOf('|');
            Instant at = Instant.parse(position.substring(0, bar));
            String id = position.substring(bar + 1);
            return new TaskSnapshot(id, "", TaskState.SUBMITTED, at, null, List.of(), List.of());
        } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeException e) {
            throw JsonRpcException.invalidParams("pageToken", "is not a token this agent gave out");
        }
    }

    private static @Nullable TaskState status(@Nullable JsonNode status) {
        if (status == null || status.isNull() || status.asText().equals("TASK_STATE_UNSPECIFIED")) {
            return null;
        }
        return TaskState.ofCurrentName(status.asText())
                .orElseThrow(() ->
                        JsonRpcException.invalidParams("status", "must be a task state such as TASK_STATE_WORKING"));
    }

    private static int pageSize(@Nullable JsonNode size) {
        if (size == null || size.isNull()) {
            return DEFAULT_PAGE_SIZE;
        }
        if (!size.isIntegralNumber()
                || !size.canConvertToInt()
                || size.intValue() < 1
                || size.intValue() > MAX_PAGE_SIZE) {
            throw JsonRpcException.invalidParams("pageSize", "must be an integer from 1 to " + MAX_PAGE_SIZE);
        }
        return size.intValue();
    }

    private static @Nullable Instant timestamp(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeException e) {
            throw JsonRpcException.invalidParams(
                    "statusTimestampAfter", "must be an ISO 8601 timestamp such as 2026-01-31T10:00:00Z");
        }
    }

    private static boolean flag(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw JsonRpcException.invalidParams("includeArtifacts", "must be true or false");
        }
        return value.booleanValue();
    }
}
