package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-RPC 2.0 endpoint, speaking A2A 1.0 (PascalCase methods, ProtoJSON shapes) and 0.3
 * ({@code message/send} and the other slash-named methods), chosen by the method name. Protocol
 * errors are JSON-RPC error objects with HTTP 200; injected faults are real HTTP statuses.
 *
 * <p>Before the method is read, the request must be JSON ({@code -32005} otherwise) and name an A2A
 * version this agent speaks ({@code -32009} otherwise; none named means 0.3).
 */
final class A2aEndpoint {

    private static final Dialect LEGACY = new LegacyDialect();
    private static final Dialect CURRENT = new CurrentDialect();
    private static final Map<String, Route> ROUTES = Map.ofEntries(
            Map.entry("SendMessage", new Route(Operation.SEND, CURRENT)),
            Map.entry("SendStreamingMessage", new Route(Operation.STREAM, CURRENT)),
            Map.entry("GetTask", new Route(Operation.GET_TASK, CURRENT)),
            Map.entry("ListTasks", new Route(Operation.LIST_TASKS, CURRENT)),
            Map.entry("CancelTask", new Route(Operation.CANCEL_TASK, CURRENT)),
            Map.entry("SubscribeToTask", new Route(Operation.SUBSCRIBE, CURRENT)),
            Map.entry("CreateTaskPushNotificationConfig", new Route(Operation.PUSH_CONFIG, CURRENT)),
            Map.entry("GetTaskPushNotificationConfig", new Route(Operation.PUSH_CONFIG, CURRENT)),
            Map.entry("ListTaskPushNotificationConfigs", new Route(Operation.PUSH_CONFIG, CURRENT)),
            Map.entry("DeleteTaskPushNotificationConfig", new Route(Operation.PUSH_CONFIG, CURRENT)),
            Map.entry("GetExtendedAgentCard", new Route(Operation.EXTENDED_CARD, CURRENT)),
            Map.entry("message/send", new Route(Operation.SEND, LEGACY)),
            Map.entry("message/stream", new Route(Operation.STREAM, LEGACY)),
            Map.entry("tasks/get", new Route(Operation.GET_TASK, LEGACY)),
            Map.entry("tasks/cancel", new Route(Operation.CANCEL_TASK, LEGACY)),
            Map.entry("tasks/resubscribe", new Route(Operation.SUBSCRIBE, LEGACY)),
            Map.entry("tasks/pushNotificationConfig/set", new Route(Operation.PUSH_CONFIG, LEGACY)),
            Map.entry("tasks/pushNotificationConfig/get", new Route(Operation.PUSH_CONFIG, LEGACY)),
            Map.entry("tasks/pushNotificationConfig/list", new Route(Operation.PUSH_CONFIG, LEGACY)),
            Map.entry("tasks/pushNotificationConfig/delete", new Route(Operation.PUSH_CONFIG, LEGACY)),
            Map.entry("agent/getAuthenticatedExtendedCard", new Route(Operation.EXTENDED_CARD, LEGACY)));

    private enum Operation {
        SEND,
        STREAM,
        GET_TASK,
        LIST_TASKS,
        CANCEL_TASK,
        SUBSCRIBE,
        PUSH_CONFIG,
        EXTENDED_CARD
    }

    private record Route(Operation operation, Dialect dialect) {}

    /** What the agent does around its answers: the streamed echo, its workers, and the faults' side effects. */
    record Effects(EchoStream echo, Executor workers, Runnable exitRequested, Silence silence) {}

    private final Json json;
    private final TaskStore tasks;
    private final TaskMethods taskMethods;
    private final Effects effects;
    private final RequestStats stats;
    private final AgentLog log;

    A2aEndpoint(
            Json json, TaskStore tasks, TaskMethods taskMethods, Effects effects, RequestStats stats, AgentLog log) {
        this.json = json;
        this.tasks = tasks;
        this.taskMethods = taskMethods;
        this.effects = effects;
        this.stats = stats;
        this.log = log;
    }

    void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        RequestStats.Ticket ticket = stats.begin();
        RpcCall call = new RpcCall(exchange, json);
        try {
            dispatch(call, ticket, HttpIo.readBody(exchange));
        } catch (HttpIo.BodyTooLargeException e) {
            answerError(call, 413, new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Request body too large"));
        } catch (JsonRpcException e) {
            answerError(call, 200, e);
        } catch (IOException e) {
            log.info("request method=" + call.method + " aborted: "
                    + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            log.info(
                    "request method=" + call.method + " failed: " + e.getClass().getName());
            answerError(call, 500, new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "Internal error"));
        } finally {
            ticket.end(call.status);
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            log.info("request method=" + call.method + " status=" + call.status + " ms=" + millis);
        }
    }

    private void dispatch(RpcCall call, RequestStats.Ticket ticket, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request != null) {
            call.id = idOf(request);
        }
        Negotiation.requireJson(call.exchange.getRequestHeaders().getFirst("Content-Type"));
        Negotiation.version(call.exchange.getRequestHeaders().getFirst(Negotiation.VERSION_HEADER));
        if (request == null) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Invalid JSON payload");
        }
        JsonNode method = request.get("method");
        if (!request.path("jsonrpc").asText().equals("2.0") || method == null || !method.isTextual()) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Request payload validation error");
        }
        call.method = Params.printable(method.textValue()).replace(' ', '?');
        Route route = ROUTES.get(method.textValue());
        if (route == null) {
            throw new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "Method not found");
        }
        JsonNode params = request.get("params");
        Dialect dialect = route.dialect();
        switch (route.operation()) {
            case SEND -> send(call, ticket, params, dialect);
            case STREAM -> stream(call, ticket, params, dialect);
            case GET_TASK -> taskMethods.get(call, params, dialect);
            case LIST_TASKS -> taskMethods.list(call, params, dialect);
            case CANCEL_TASK -> taskMethods.cancel(call, params, dialect);
            case SUBSCRIBE -> taskMethods.subscribe(call, params, dialect);
            case PUSH_CONFIG -> throw TaskMethods.pushNotSupported();
            case EXTENDED_CARD -> throw TaskMethods.extendedCardNotSupported();
        }
    }

    private void send(RpcCall call, RequestStats.Ticket ticket, @Nullable JsonNode params, Dialect dialect)
            throws IOException {
        ChatMessage user = inItsTask(Params.userMessage(params), params);
        Fault fault = prelude(call, ticket, user);
        if (fault == null) {
            return;
        }
        call.result(dialect.sendResult(replyTo(user)));
        afterAnswer(fault);
    }

    /**
     * A new message starts a task and streams it; a message to a running task is answered with one
     * message, and the stream closes.
     */
    private void stream(RpcCall call, RequestStats.Ticket ticket, @Nullable JsonNode params, Dialect dialect)
            throws IOException {
        ChatMessage user = inItsTask(Params.userMessage(params), params);
        Fault fault = prelude(call, ticket, user);
        if (fault == null) {
            return;
        }
        if (user.taskId() != null) {
            call.stream().send(call.envelope(dialect.sendResult(replyTo(user))));
        } else {
            int chunks = fault instanceof Fault.StreamGaps gaps ? gaps.chunks() : EchoStream.DEFAULT_CHUNKS;
            Duration gap = fault instanceof Fault.StreamGaps gaps ? gaps.gap() : Duration.ZERO;
            TaskSnapshot task = effects.echo().submit(user);
            try (TaskStore.Subscription subscription = tasks.subscribe(task.id())) {
                effects.workers().execute(() -> effects.echo().work(task, chunks, gap));
                TaskMethods.follow(call, subscription, dialect);
            }
        }
        afterAnswer(fault);
    }

    /**
     * The message, placed in the task it names: the task must exist, still be running, and share the
     * message's context if it names one.
     */
    private ChatMessage inItsTask(ChatMessage user, @Nullable JsonNode params) {
        String taskId = user.taskId();
        if (taskId == null) {
            return user;
        }
        TaskSnapshot task = tasks.known(taskId);
        String contextId = Params.givenContextId(params);
        if (contextId != null && !contextId.equals(task.contextId())) {
            throw JsonRpcException.invalidParams(
                    "message.contextId", "is not the context of task " + Params.printable(taskId));
        }
        if (task.state().terminal()) {
            throw JsonRpcException.of(
                    A2aError.UNSUPPORTED_OPERATION,
                    "Task is " + task.state().legacyName() + " and takes no more messages",
                    Map.of("taskId", taskId, "state", task.state().currentName()));
        }
        return new ChatMessage(user.messageId(), user.role(), user.text(), task.contextId(), taskId);
    }

    private static ChatMessage replyTo(ChatMessage user) {
        return new ChatMessage(
                UUID.randomUUID().toString(),
                ChatMessage.Role.AGENT,
                EchoStream.echoOf(user.text()),
                user.contextId(),
                user.taskId());
    }

    /**
     * Applies the fault asked for in the user's text before any answer.
     *
     * @return the fault, or null when the call has been answered (or abandoned) already
     */
    private @Nullable Fault prelude(RpcCall call, RequestStats.Ticket ticket, ChatMessage user) throws IOException {
        ticket.describe(user.text());
        Fault fault = Fault.parse(user.text());
        if (fault instanceof Fault.Status(int code)) {
            ObjectNode body = json.object().put("error", "injected fault").put("status", code);
            call.answer(code, body);
            return null;
        }
        if (fault instanceof Fault.Hang(Duration delay) && !EchoStream.pause(delay)) {
            return null;
        }
        return fault;
    }

    private void afterAnswer(Fault fault) {
        if (fault instanceof Fault.Exit) {
            effects.exitRequested().run();
        }
        if (fault instanceof Fault.Silence) {
            effects.silence().fallSilent();
        }
    }

    private @Nullable JsonNode parse(byte[] body) {
        try {
            return json.read(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void answerError(RpcCall call, int httpStatus, JsonRpcException error) {
        if (call.answered()) {
            return;
        }
        try {
            call.answer(httpStatus, call.error(error.code(), error.rpcMessage(), error.data()));
        } catch (IOException e) {
            log.info("request method=" + call.method + " error answer lost: "
                    + e.getClass().getSimpleName());
        }
    }

    private static JsonNode idOf(JsonNode request) {
        JsonNode id = request.get("id");
        return id != null && (id.isTextual() || id.isNumber()) ? id : NullNode.instance;
    }
}
