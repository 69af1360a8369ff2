package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/** A tiny platform: records register and heartbeat calls and answers with scripted statuses. */
final class FakePlatform implements AutoCloseable {

    static final String REGISTER = "/registry/register";
    static final String HEARTBEAT = "/registry/heartbeat";

    /** One call the agent made. */
    record Call(String path, String authorization, JsonNode body, Instant at) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, IntUnaryOperator> statusByCallNumber = new ConcurrentHashMap<>();
    private volatile String registerBody = "{\"status\":\"registered\"}";

    FakePlatform() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the n-th call (1-based) to {@code path} with {@code status.applyAsInt(n)}. */
    void answer(String path, IntUnaryOperator status) {
        statusByCallNumber.put(path, status);
    }

    void registerAnswerBody(String body) {
        registerBody = body;
    }

    List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = AgentClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            calls.add(new Call(path, auth == null ? "" : auth, body, Instant.now()));
            int status = statusByCallNumber
                    .getOrDefault(path, n -> 200)
                    .applyAsInt(calls(path).size());
            byte[] answer = (path.equals(REGISTER) && status == 200 ? registerBody : "{\"status\":\"ok\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
