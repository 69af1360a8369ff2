package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A {@code text/event-stream} answer; each event is one {@code data:} line flushed at once. */
final class SseStream {

    private final OutputStream out;
    private final Json json;

    private SseStream(OutputStream out, Json json) {
        this.out = out;
        this.json = json;
    }

    /** Sends the 200 status and SSE headers; the body is chunked and ends when the exchange closes. */
    static SseStream open(HttpExchange exchange, Json json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return new SseStream(exchange.getResponseBody(), json);
    }

    void send(JsonNode event) throws IOException {
        out.write(("data: " + json.writeString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
