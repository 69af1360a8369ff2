package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-RPC methods about tasks that already exist: get, list, cancel and subscribe, and the
 * push-notification and extended-card methods this agent declares it does not support.
 */
final class TaskMethods {

    private final TaskStore tasks;
    private final InstantSource clock;

    TaskMethods(TaskStore tasks, InstantSource clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    void get(RpcCall call, @Nullable JsonNode params, Dialect dialect) throws IOException {
        String id = Params.taskId(params);
        int historyLength = Params.historyLength(params);
        TaskSnapshot task = tasks.known(id);
        call.result(dialect.task(historyLength < 0 ? task : task.withHistoryLimit(historyLength)));
    }

    void list(RpcCall call, @Nullable JsonNode params, Dialect dialect) throws IOException {
        TaskListing.Query query = TaskListing.parse(params);
        call.result(TaskListing.page(tasks.all(), query, dialect));
    }

    void cancel(RpcCall call, @Nullable JsonNode params, Dialect dialect) throws IOException {
        call.result(dialect.task(tasks.cancel(Params.taskId(params), clock.instant())));
    }

    /** Streams a running task: the task as it is now, then each event until it ends. */
    void subscribe(RpcCall call, @Nullable JsonNode params, Dialect dialect) throws IOException {
        try (TaskStore.Subscription subscription = tasks.subscribe(Params.taskId(params))) {
            follow(call, subscription, dialect);
        }
    }

    /**
     * Sends a subscription's events as SSE until the task's last event.
     *
     * @return false when interrupted (the agent is closing) before the end
     */
    static boolean follow(RpcCall call, TaskStore.Subscription subscription, Dialect dialect) throws IOException {
        SseStream sse = call.stream();
        sse.send(call.envelope(dialect.event(new TaskEvent.Snapshot(subscription.start()))));
        try {
            TaskEvent event;
            do {
                event = subscription.next();
                sse.send(call.envelope(dialect.event(event)));
            } while (!event.last());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The answer to every push-notification config method: the card declares {@code pushNotifications: false}. */
    static JsonRpcException pushNotSupported() {
        return JsonRpcException.of(
                A2aError.PUSH_NOTIFICATION_NOT_SUPPORTED,
                "Push notifications are not supported by this agent",
                Map.of("capability", "pushNotifications"));
    }

    /** The answer to the extended card method: the card does not declare {@code extendedAgentCard}. */
    static JsonRpcException extendedCardNotSupported() {
        return JsonRpcException.of(
                A2aError.UNSUPPORTED_OPERATION,
                "This agent has no extended agent card",
                Map.of("capability", "extendedAgentCard"));
    }
}
