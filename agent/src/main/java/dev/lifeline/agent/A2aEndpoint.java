package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-RPC 2.0 endpoint: A2A 1.0 ({@code SendMessage}, {@code SendStreamingMessage}, {@code
 * GetTask}) and 0.3 ({@code message/send}, {@code message/stream}, {@code tasks/get}). Protocol
 * errors are JSON-RPC error objects with HTTP 200; injected faults are real HTTP statuses.
 */
final class A2aEndpoint {

    private enum Operation {
        SEND,
        STREAM,
        GET_TASK
    }

    private record Route(Operation operation, Dialect dialect) {}

    private static final Dialect LEGACY = new LegacyDialect();
    private static final Dialect CURRENT = new CurrentDialect();
    private static final Map<String, Route> ROUTES = Map.of(
            "SendMessage", new Route(Operation.SEND, CURRENT),
            "SendStreamingMessage", new Route(Operation.STREAM, CURRENT),
            "GetTask", new Route(Operation.GET_TASK, CURRENT),
            "message/send", new Route(Operation.SEND, LEGACY),
            "message/stream", new Route(Operation.STREAM, LEGACY),
            "tasks/get", new Route(Operation.GET_TASK, LEGACY));

    private final Json json;
    private final TaskStore tasks;
    private final EchoStream echoStream;
    private final RequestStats stats;
    private final AgentLog log;
    private final Runnable exitRequested;
    private final dev.lifeline.agent.Silence silence;

    A2aEndpoint(
            Json json,
            TaskStore tasks,
            EchoStream echoStream,
            RequestStats stats,
            AgentLog log,
            Runnable exitRequested,
            dev.lifeline.agent.Silence silence) {
        this.silence = silence;
        this.json = json;
        this.tasks = tasks;
        this.echoStream = echoStream;
        this.stats = stats;
        this.log = log;
        this.exitRequested = exitRequested;
    }

    /** One JSON-RPC call in progress: what is known of it so far, for the answer and the log. */
    private static final class Call {
        final HttpExchange exchange;
        JsonNode id = NullNode.instance;
        String method = "-";
        int status;

        Call(HttpExchange exchange) {
            this.exchange = exchange;
        }
    }

    void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        RequestStats.Ticket ticket = stats.begin();
        Call call = new Call(exchange);
        try {
            dispatch(call, ticket);
        } catch (HttpIo.BodyTooLargeException e) {
            answerError(call, 413, JsonRpcException.INVALID_REQUEST, "Request body too large");
        } catch (IOException e) {
            log.info("request method=" + call.method + " aborted: "
                    + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            log.info(
                    "request method=" + call.method + " failed: " + e.getClass().getName());
            answerError(call, 500, JsonRpcException.INTERNAL_ERROR, "Internal error");
        } finally {
            ticket.end(call.status);
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            log.info("request method=" + call.method + " status=" + call.status + " ms=" + millis);
        }
    }

    private void dispatch(Call call, RequestStats.Ticket ticket) throws IOException {
        JsonNode request = parse(HttpIo.readBody(call.exchange));
        if (request == null) {
            answerError(call, 200, JsonRpcException.PARSE_ERROR, "Invalid JSON payload");
            return;
        }
        call.id = idOf(request);
        JsonNode method = request.get("method");
        if (!request.path("jsonrpc").asText().equals("2.0") || method == null || !method.isTextual()) {
            answerError(call, 200, JsonRpcException.INVALID_REQUEST, "Request payload validation error");
            return;
        }
        call.method = printable(method.textValue());
        Route route = ROUTES.get(method.textValue());
        if (route == null) {
            answerError(call, 200, JsonRpcException.METHOD_NOT_FOUND, "Method not found");
            return;
        }
        try {
            switch (route.operation()) {
                case SEND -> send(call, ticket, request.get("params"), route.dialect());
                case STREAM -> stream(call, ticket, request.get("params"), route.dialect());
                case GET_TASK -> getTask(call, request.get("params"), route.dialect());
            }
        } catch (JsonRpcException e) {
            answerError(call, 200, e.code(), e.rpcMessage());
        }
    }

    private void send(Call call, RequestStats.Ticket ticket, @Nullable JsonNode params, Dialect dialect)
            throws IOException {
        ChatMessage user = Params.userMessage(params);
        Fault fault = prelude(call, ticket, user);
        if (fault == null) {
            return;
        }
        String reply = EchoStream.echoOf(user.text());
        var answer = new ChatMessage(
                UUID.randomUUID().toString(), ChatMessage.Role.AGENT, reply, user.contextId(), user.taskId());
        answer(call, 200, result(call.id, dialect.sendResult(answer)));
        if (fault instanceof Fault.Exit) {
            exitRequested.run();
        }
        if (fault instanceof Fault.Silence) {
            silence.fallSilent();
        }
    }

    private void stream(Call call, RequestStats.Ticket ticket, @Nullable JsonNode params, Dialect dialect)
            throws IOException {
        ChatMessage user = Params.userMessage(params);
        Fault fault = prelude(call, ticket, user);
        if (fault == null) {
            return;
        }
        int chunks = fault instanceof Fault.StreamGaps gaps ? gaps.chunks() : EchoStream.DEFAULT_CHUNKS;
        Duration gap = fault instanceof Fault.StreamGaps gaps ? gaps.gap() : Duration.ZERO;
        SseStream sse = SseStream.open(call.exchange, json);
        call.status = 200;
        echoStream.run(event -> sse.send(result(call.id, event)), dialect, user, chunks, gap);
        if (fault instanceof Fault.Exit) {
            exitRequested.run();
        }
    }

    /**
     * Applies the fault asked for in the user's text before any answer.
     *
     * @return the fault, or null when the call has been answered (or abandoned) already
     */
    private @Nullable Fault prelude(Call call, RequestStats.Ticket ticket, ChatMessage user) throws IOException {
        ticket.describe(user.text());
        Fault fault = Fault.parse(user.text());
        if (fault instanceof Fault.Status(int code)) {
            ObjectNode body = json.object().put("error", "injected fault").put("status", code);
            answer(call, code, body);
            return null;
        }
        if (fault instanceof Fault.Hang(Duration delay) && !EchoStream.pause(delay)) {
            return null;
        }
        return fault;
    }

    private void getTask(Call call, @Nullable JsonNode params, Dialect dialect) throws IOException {
        String id = Params.taskId(params);
        int historyLength = Params.historyLength(params);
        TaskSnapshot task = tasks.get(id)
                .orElseThrow(() -> new JsonRpcException(JsonRpcException.TASK_NOT_FOUND, "Task not found"));
        TaskSnapshot shown = historyLength < 0 ? task : task.withHistoryLimit(historyLength);
        answer(call, 200, result(call.id, dialect.task(shown)));
    }

    private @Nullable JsonNode parse(byte[] body) {
        try {
            return json.read(body);
        } catch (IOException e) {
            return null;
        }
    }

    private ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = json.object().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    private void answerError(Call call, int httpStatus, int code, String message) {
        if (call.exchange.getResponseCode() != -1) {
            return;
        }
        ObjectNode response = json.object().put("jsonrpc", "2.0");
        response.set("id", call.id);
        response.putObject("error").put("code", code).put("message", message);
        try {
            answer(call, httpStatus, response);
        } catch (IOException e) {
            log.info("request method=" + call.method + " error answer lost: "
                    + e.getClass().getSimpleName());
        }
    }

    private void answer(Call call, int status, JsonNode body) throws IOException {
        call.status = status;
        HttpIo.sendJson(call.exchange, status, body, json);
    }

    private static JsonNode idOf(JsonNode request) {
        JsonNode id = request.get("id");
        return id != null && (id.isTextual() || id.isNumber()) ? id : NullNode.instance;
    }

    private static String printable(String method) {
        String cleaned = method.replaceAll("[^\\x21-\\x7e]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
