package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads JSON-RPC params; the field names are the same in A2A 0.3 and 1.0. */
final class Params {

    /** The one media type this agent reads (its card's {@code defaultInputModes}). */
    static final String TEXT = "text/plain";

    private Params() {}

    /**
     * The user message of a send request ({@code params.message}); text parts are joined by new
     * lines, a missing {@code contextId} is generated.
     *
     * @throws JsonRpcException invalid params when the message, its id or its parts are missing;
     *     content type not supported when a part declares a media type other than text
     */
    static ChatMessage userMessage(@Nullable JsonNode params) {
        JsonNode message = object(params, "params").get("message");
        if (message == null || !message.isObject()) {
            throw JsonRpcException.invalidParams("message", "must be an object");
        }
        String messageId = text(message, "messageId");
        if (messageId == null) {
            throw JsonRpcException.invalidParams("message.messageId", "must be a non-empty string");
        }
        JsonNode parts = message.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw JsonRpcException.invalidParams("message.parts", "must be an array with at least one part");
        }
        List<String> texts = new ArrayList<>();
        parts.forEach(part -> {
            requireText(mediaTypeOf(part));
            JsonNode text = part.get("text");
            if (text != null && text.isTextual()) {
                texts.add(text.textValue());
            }
        });
        String contextId = givenContextId(params);
        return new ChatMessage(
                messageId,
                ChatMessage.Role.USER,
                String.join("\n", texts),
                contextId == null ? UUID.randomUUID().toString() : contextId,
                text(message, "taskId"));
    }

    /** The {@code params.message.contextId} the client gave, if any. */
    static @Nullable String givenContextId(@Nullable JsonNode params) {
        return params == null ? null : text(params.path("message"), "contextId");
    }

    /** The task id of a task query ({@code params.id}). */
    static String taskId(@Nullable JsonNode params) {
        return required(params, "id");
    }

    /** A required non-empty string field of the params. */
    static String required(@Nullable JsonNode params, String field) {
        String value = text(object(params, "params"), field);
        if (value == null) {
            throw JsonRpcException.invalidParams(field, "must be a non-empty string");
        }
        return value;
    }

    /** The {@code params.historyLength} of a task query, or -1 when absent. */
    static int historyLength(@Nullable JsonNode params) {
        JsonNode length = object(params, "params").get("historyLength");
        if (length == null || length.isNull()) {
            return -1;
        }
        if (!length.isIntegralNumber() || !length.canConvertToInt() || length.intValue() < 0) {
            throw JsonRpcException.invalidParams("historyLength", "must be a non-negative integer");
        }
        return length.intValue();
    }

    /** The params object; absent params read as an empty object. */
    static JsonNode objectOrEmpty(@Nullable JsonNode params) {
        return params == null || params.isNull() ? Json.NODES.objectNode() : object(params, "params");
    }

    private static @Nullable String mediaTypeOf(JsonNode part) {
        String declared = text(part, "mediaType");
        return declared != null ? declared : text(part.path("file"), "mimeType");
    }

    private static void requireText(@Nullable String mediaType) {
        if (mediaType == null) {
            return;
        }
        String essence = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!essence.equals(TEXT)) {
            throw JsonRpcException.of(
                    A2aError.CONTENT_TYPE_NOT_SUPPORTED,
                    "Media type " + printable(mediaType) + " is not supported; this agent reads " + TEXT,
                    Map.of("mediaType", printable(mediaType), "supported", TEXT));
        }
    }

    static JsonNode object(@Nullable JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            throw JsonRpcException.invalidParams(name, "must be an object");
        }
        return node;
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    /** A client-supplied value made safe to echo: printable ASCII, at most 64 characters. */
    static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
