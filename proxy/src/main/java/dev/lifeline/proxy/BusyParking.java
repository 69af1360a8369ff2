package dev.lifeline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.core.CallQueue;
import dev.lifeline.core.NewQueuedCall;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.Workspace;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a call the agent surely did not take in its workspace's durable queue, and answers {@code 202
 * queued}. Only an A2A message with a {@code messageId} is queued (the agent sees that id again at
 * delivery); an agent that retries busy calls itself (native session) never has its calls queued.
 * When the call cannot be queued the caller gets the answer it would have had without a queue.
 */
final class BusyParking {
    private static final Logger log = LoggerFactory.getLogger(BusyParking.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_MESSAGE_ID_CHARS = 256;

    private final @Nullable CallQueue queue;
    private final AgentLoad load;
    private final Clock clock;

    BusyParking(@Nullable CallQueue queue, AgentLoad load, Clock clock) {
        this.queue = queue;
        this.load = load;
        this.clock = clock;
    }

    /** Whether the agent's last heartbeat says it has no room for this call, so it is not sent. */
    boolean fullBeforeSending(Workspace target) {
        return queue != null && !load.nativeSession(target.id()) && load.atCapacity(target.id());
    }

    /** Queues the call; empty when it is not queueable or the queue could not take it. */
    Optional<ProxyReply.Refused> park(
            Workspace target, CallOptions options, Payloads.Request request, Map<String, String> headers) {
        Optional<String> messageId = messageId(request.bytes());
        if (queue == null || load.nativeSession(target.id()) || messageId.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> stored = new LinkedHashMap<>(headers);
        if (request.rewritten()) {
            stored.put("Content-Type", "application/json");
        }
        try {
            CallQueue.Enqueued queued = queue.enqueue(
                    new NewQueuedCall(
                            target.id(), options.source(), messageId.get(), request.bytes(), stored, QueuedCall.TASK),
                    clock.instant());
            load.callsWaiting(target.id());
            return Optional.of(Outcomes.queued(queued.id(), queued.depth()));
        } catch (StoreException e) {
            log.warn("a busy call to {} could not be queued; answered busy", target.id(), e);
            return Optional.empty();
        }
    }

    /** {@code params.message.messageId} of a JSON-RPC request, when it has a usable one. */
    static Optional<String> messageId(byte[] body) {
        try {
            JsonNode id = JSON.readTree(body).path("params").path("message").path("messageId");
            return id.isTextual() && !id.asText().isBlank() && id.asText().length() <= MAX_MESSAGE_ID_CHARS
                    ? Optional.of(id.asText())
                    : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }
}
