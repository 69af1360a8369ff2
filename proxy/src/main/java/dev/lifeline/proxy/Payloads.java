package dev.lifeline.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Decides what reaches the agent for a caller's body. Lifeline rewrites only the canvas's shape: a
 * JSON object without {@code "jsonrpc"}, declared as JSON (or not declared) and not content-encoded,
 * is wrapped in a JSON-RPC 2.0 envelope with a fresh id, and a message in it without {@code
 * messageId} gets one. Every other body, a JSON-RPC request above all, but also one that is not
 * JSON, a batch, or a body of another content type, reaches the agent as the caller's bytes, and
 * the agent answers it.
 */
final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_ID = "null";

    private Payloads() {}

    /**
     * A request ready to forward.
     *
     * @param idJson its JSON-RPC id as JSON text, {@code null} when it has none Lifeline could read
     * @param method its JSON-RPC method, empty when it has none Lifeline could read
     * @param rewritten Lifeline built these bytes: they are sent as {@code application/json}
     */
    @SuppressWarnings("ArrayRecordComponent") // forwarded once, never compared
    record Request(byte[] bytes, String idJson, String method, boolean rewritten) {}

    /** @param headers the caller's headers that cross the proxy, named as in {@link PassedHeaders#REQUEST} */
    static Request prepare(byte[] body, Map<String, String> headers) {
        Optional<ObjectNode> object = encoded(headers) ? Optional.empty() : object(body);
        if (object.isEmpty()) {
            return new Request(body, NO_ID, "", false);
        }
        ObjectNode request = object.get();
        if (request.has("jsonrpc") || !declaredJson(headers.get("Content-Type"))) {
            return new Request(
                    body, idJson(request.get("id")), request.path("method").asText(""), false);
        }
        return canvasCall(request);
    }

    /**
     * What {@link #prepare} gives for a JSON-RPC request, read with a streaming scan that builds no
     * tree of the body; empty for any other body (and for a method that is not a string), which
     * {@link #prepare} then decides.
     */
    static Optional<Request> scan(byte[] body, Map<String, String> headers) {
        if (encoded(headers)) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            boolean jsonRpc = false;
            boolean methodIsText = true;
            String method = "";
            String id = NO_ID;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "jsonrpc" -> jsonRpc = true;
                    case "method" -> {
                        methodIsText = value == JsonToken.VALUE_STRING;
                        method = methodIsText ? parser.getText() : "";
                    }
                    case "id" -> id = idJson(parser, value);
                    default -> {}
                }
                parser.skipChildren();
            }
            return jsonRpc && methodIsText ? Optional.of(new Request(body, id, method, false)) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    private static Request canvasCall(ObjectNode call) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("jsonrpc", "2.0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.set("method", call.get("method"));
        envelope.set("params", call.get("params"));
        if (envelope.path("params").path("message") instanceof ObjectNode message && !message.has("messageId")) {
            message.put("messageId", UUID.randomUUID().toString());
        }
        try {
            return new Request(
                    JSON.writeValueAsBytes(envelope),
                    idJson(envelope.get("id")),
                    envelope.path("method").asText(""),
                    true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static Optional<ObjectNode> object(byte[] body) {
        try {
            return JSON.readTree(body) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    private static boolean encoded(Map<String, String> headers) {
        String encoding = headers.get("Content-Encoding");
        return encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity");
    }

    /** No content type, {@code application/json} or a {@code +json} type, with any parameters. */
    private static boolean declaredJson(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** The id the parser stands on as JSON text: a string or a whole number written directly, anything else through a tree. */
    private static String idJson(JsonParser parser, @Nullable JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(parser.getText())) + "\"";
        }
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return Long.toString(parser.getLongValue());
        }
        return idJson(parser.readValueAsTree());
    }

    private static String idJson(@Nullable JsonNode id) {
        if (id == null) {
            return NO_ID;
        }
        try {
            return JSON.writeValueAsString(id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }
}
