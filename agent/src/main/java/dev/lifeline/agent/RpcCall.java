package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** One JSON-RPC call in progress: what is known of it so far, and how to answer it. */
final class RpcCall {

    final HttpExchange exchange;
    private final Json json;
    JsonNode id = NullNode.instance;
    String method = "-";
    int status;

    RpcCall(HttpExchange exchange, Json json) {
        this.exchange = exchange;
        this.json = json;
    }

    /** Whether an answer has started (a status line has been sent). */
    boolean answered() {
        return exchange.getResponseCode() != -1;
    }

    /** Answers with a JSON-RPC result. */
    void result(JsonNode result) throws IOException {
        answer(200, envelope(result));
    }

    /** A JSON-RPC response carrying {@code result}, for an answer or a stream event. */
    ObjectNode envelope(JsonNode result) {
        ObjectNode response = json.object().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    /** A JSON-RPC error response. */
    ObjectNode error(int code, String message, @Nullable JsonNode data) {
        ObjectNode response = json.object().put("jsonrpc", "2.0");
        response.set("id", id);
        ObjectNode error = response.putObject("error").put("code", code).put("message", message);
        if (data != null) {
            error.set("data", data);
        }
        return response;
    }

    void answer(int httpStatus, JsonNode body) throws IOException {
        status = httpStatus;
        HttpIo.sendJson(exchange, httpStatus, body, json);
    }

    /** Starts a {@code text/event-stream} answer. */
    SseStream stream() throws IOException {
        status = 200;
        return SseStream.open(exchange, json);
    }
}
