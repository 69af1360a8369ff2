package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads JSON-RPC params; the field names are the same in A2A 0.3 and 1.0. */
final class Params {

    private Params() {}

    /**
     * The user message of a send request ({@code params.message}); text parts are joined by new
     * lines, missing ids are generated.
     */
    static ChatMessage userMessage(@Nullable JsonNode params) {
        JsonNode message = object(params, "params").get("message");
        if (message == null || !message.isObject()) {
            throw JsonRpcException.invalidParams("params.message must be an object");
        }
        JsonNode parts = message.get("parts");
        if (parts == null || !parts.isArray()) {
            throw JsonRpcException.invalidParams("params.message.parts must be an array");
        }
        List<String> texts = new ArrayList<>();
        parts.forEach(part -> {
            JsonNode text = part.get("text");
            if (text != null && text.isTextual()) {
                texts.add(text.textValue());
            }
        });
        return new ChatMessage(
                textOr(message, "messageId", UUID.randomUUID().toString()),
                ChatMessage.Role.USER,
                String.join("\n", texts),
                textOr(message, "contextId", UUID.randomUUID().toString()),
                text(message, "taskId"));
    }

    /** The task id of a task query ({@code params.id}). */
    static String taskId(@Nullable JsonNode params) {
        String id = text(object(params, "params"), "id");
        if (id == null) {
            throw JsonRpcException.invalidParams("params.id must be a non-empty string");
        }
        return id;
    }

    /** The {@code params.historyLength} of a task query, or -1 when absent. */
    static int historyLength(@Nullable JsonNode params) {
        JsonNode length = object(params, "params").get("historyLength");
        if (length == null || length.isNull()) {
            return -1;
        }
        if (!length.canConvertToInt() || length.intValue() < 0 || !length.isIntegralNumber()) {
            throw JsonRpcException.invalidParams("params.historyLength must be a non-negative integer");
        }
        return length.intValue();
    }

    private static JsonNode object(@Nullable JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            throw JsonRpcException.invalidParams(name + " must be an object");
        }
        return node;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String value = text(node, field);
        return value == null ? fallback : value;
    }
}
