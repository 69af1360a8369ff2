package dev.lifeline.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.core.InvalidRequestException;
import java.util.UUID;

/**
 * Normalises a caller's payload into a JSON-RPC 2.0 request: a bare {@code {method, params}} is
 * wrapped in an envelope with a fresh id, and a message without {@code messageId} gets one. A
 * request that needs neither is forwarded as the caller's bytes.
 */
final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    /** A request ready to forward: its bytes, its JSON-RPC id (as JSON text) and its method. */
    @SuppressWarnings("ArrayRecordComponent") // forwarded once, never compared
    record Request(byte[] bytes, String idJson, String method) {}

    static Request normalise(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("invalid JSON", "send a JSON-RPC 2.0 request object");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(
                    "request body must be a JSON object", "send a JSON-RPC 2.0 request or {method, params}");
        }
        ObjectNode request = (ObjectNode) root;
        boolean changed = false;
        if (!request.has("jsonrpc")) {
            changed = true;
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("jsonrpc", "2.0");
            envelope.put("id", UUID.randomUUID().toString());
            envelope.set("method", request.get("method"));
            envelope.set("params", request.get("params"));
            request = envelope;
        }
        if (request.path("params").path("message") instanceof ObjectNode message && !message.has("messageId")) {
            message.put("messageId", UUID.randomUUID().toString());
            changed = true;
        }
        try {
            return new Request(
                    changed ? JSON.writeValueAsBytes(request) : body,
                    JSON.writeValueAsString(request.get("id")),
                    request.path("method").asText(""));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }
}
