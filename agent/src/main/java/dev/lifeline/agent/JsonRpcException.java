package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request the agent answers with a JSON-RPC error object (HTTP 200); the message and data reach
 * the client.
 *
 * <p>Error details follow A2A 1.0 §9.5: {@code error.data} is an array of ProtoJSON {@code Any}
 * objects, a {@code google.rpc.ErrorInfo} for A2A errors and a {@code google.rpc.BadRequest} for
 * invalid params.
 */
final class JsonRpcException extends RuntimeException {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;

    private static final long serialVersionUID = 1L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TYPES = "type.googleapis.com/google.rpc.";

    private final int code;
    private final String rpcMessage;
    private final transient @Nullable JsonNode data;

    private JsonRpcException(int code, String message, @Nullable JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.rpcMessage = message;
        this.data = data;
    }

    JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    /** An A2A error, with an {@code ErrorInfo} naming its reason and the given context. */
    static JsonRpcException of(A2aError error, String message, Map<String, String> metadata) {
        ObjectNode info = NODES.objectNode()
                .put("@type", TYPES + "ErrorInfo")
                .put("reason", error.name())
                .put("domain", A2aError.DOMAIN);
        ObjectNode context = info.putObject("metadata");
        metadata.forEach(context::put);
        return new JsonRpcException(error.code(), message, NODES.arrayNode().add(info));
    }

    /** Invalid params, with a {@code BadRequest} naming the offending field. */
    static JsonRpcException invalidParams(String field, String description) {
        ObjectNode badRequest = NODES.objectNode().put("@type", TYPES + "BadRequest");
        badRequest.putArray("fieldViolations").addObject().put("field", field).put("description", description);
        ArrayNode data = NODES.arrayNode().add(badRequest);
        return new JsonRpcException(INVALID_PARAMS, field + ": " + description, data);
    }

    int code() {
        return code;
    }

    /** The {@code error.message} the client sees. */
    String rpcMessage() {
        return rpcMessage;
    }

    /** The {@code error.data} the client sees, if any. */
    @Nullable
    JsonNode data() {
        return data;
    }
}
