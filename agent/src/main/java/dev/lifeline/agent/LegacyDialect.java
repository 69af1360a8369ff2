package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A2A 0.3: objects carry a {@code kind}; roles and states are lower case. */
final class LegacyDialect implements Dialect {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public JsonNode sendResult(ChatMessage reply) {
        return message(reply);
    }

    @Override
    public JsonNode task(TaskSnapshot task) {
        ObjectNode node =
                NODES.objectNode().put("kind", "task").put("id", task.id()).put("contextId", task.contextId());
        node.set("status", status(task));
        if (!task.history().isEmpty()) {
            ArrayNode history = node.putArray("history");
            task.history().forEach(m -> history.add(message(m)));
        }
        if (!task.artifacts().isEmpty()) {
            ArrayNode artifacts = node.putArray("artifacts");
            task.artifacts().forEach(a -> artifacts.add(artifact(a)));
        }
        return node;
    }

    @Override
    public JsonNode taskEvent(TaskSnapshot task) {
        return task(task);
    }

    @Override
    public JsonNode statusEvent(TaskSnapshot task, boolean last) {
        ObjectNode node = event("status-update", task);
        node.set("status", status(task));
        return node.put("final", last);
    }

    @Override
    public JsonNode artifactEvent(TaskSnapshot task, TaskSnapshot.Artifact chunk, boolean append, boolean lastChunk) {
        ObjectNode node = event("artifact-update", task);
        node.set("artifact", artifact(chunk));
        return node.put("append", append).put("lastChunk", lastChunk);
    }

    private static ObjectNode event(String kind, TaskSnapshot task) {
        return NODES.objectNode().put("kind", kind).put("taskId", task.id()).put("contextId", task.contextId());
    }

    private static ObjectNode status(TaskSnapshot task) {
        ObjectNode status = NODES.objectNode().put("state", task.state().legacyName());
        ChatMessage message = task.statusMessage();
        if (message != null) {
            status.set("message", message(message));
        }
        return status.put("timestamp", task.timestamp().toString());
    }

    private static ObjectNode message(ChatMessage message) {
        ObjectNode node = NODES.objectNode()
                .put("kind", "message")
                .put("messageId", message.messageId())
                .put("role", message.role() == ChatMessage.Role.USER ? "user" : "agent");
        node.putArray("parts").addObject().put("kind", "text").put("text", message.text());
        node.put("contextId", message.contextId());
        String taskId = message.taskId();
        if (taskId != null) {
            node.put("taskId", taskId);
        }
        return node;
    }

    private static ObjectNode artifact(TaskSnapshot.Artifact artifact) {
        ObjectNode node =
                NODES.objectNode().put("artifactId", artifact.artifactId()).put("name", artifact.name());
        node.putArray("parts").addObject().put("kind", "text").put("text", artifact.text());
        return node;
    }
}
