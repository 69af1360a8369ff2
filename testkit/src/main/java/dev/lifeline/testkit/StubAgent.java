package dev.lifeline.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A stand-in agent on a free loopback port: it answers every request with what the test scripted
 * (by default a JSON-RPC result) and records what it received. Each request is served on its own
 * virtual thread, so a script that blocks holds only its own call.
 */
public final class StubAgent implements AutoCloseable {
    /** The answer every stub gives until a test scripts another. */
    public static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";

    /** A request as the agent received it; header names in lower case. */
    @SuppressWarnings("ArrayRecordComponent") // a recorded body, read by tests
    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, if it was sent. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the agent answers: a status, headers and a body. */
    @SuppressWarnings("ArrayRecordComponent") // written once to the caller
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        /** A JSON answer with this status. */
        public static Answer json(int status, String body) {
            return json(status, body.getBytes(StandardCharsets.UTF_8));
        }

        public static Answer json(int status, byte[] body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Function<Received, Answer> script = r -> Answer.json(200, RESULT);

    private StubAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
    }

    /** A stub that answers {@link #RESULT} until a test scripts another answer. */
    public static StubAgent start() {
        try {
            return new StubAgent();
        } catch (IOException e) {
            throw new UncheckedIOException("the stub agent could not listen", e);
        }
    }

    /** From now on every request gets this status and JSON body. */
    public StubAgent answering(int status, String json) {
        return answering(r -> Answer.json(status, json));
    }

    /** From now on every request gets what {@code script} makes of it; it may block to hold the call. */
    public StubAgent answering(Function<Received, Answer> script) {
        this.script = script;
        return this;
    }

    /** Where the agent listens, without a trailing slash: {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request received so far, in order of arrival. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Stops listening at once, as an agent that dies; closing again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            Received request = new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(headers),
                    exchange.getRequestBody().readAllBytes());
            received.add(request);
            Answer answer = script.apply(request);
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}
