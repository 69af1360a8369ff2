package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading request bodies and writing JSON answers on the JDK HTTP server. */
final class HttpIo {

    /** The largest request body the agent reads. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private HttpIo() {}

    /** Thrown when a request body is larger than {@link #MAX_BODY_BYTES}. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("request body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return body;
        }
    }

    /** Writes {@code body} as {@code application/json} with {@code status}; 1xx, 204 and 304 get no body. */
    static void sendJson(HttpExchange exchange, int status, JsonNode body, Json json) throws IOException {
        byte[] bytes = json.write(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status < 200 || status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
