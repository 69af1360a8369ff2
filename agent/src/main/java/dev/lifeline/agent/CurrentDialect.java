package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A2A 1.0 (ProtoJSON): one-of results are wrapped in a field named after their type. */
final class CurrentDialect implements Dialect {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public JsonNode sendResult(ChatMessage reply) {
        return wrap("message", message(reply));
    }

    @Override
    public JsonNode task(TaskSnapshot task) {
        ObjectNode node = NODES.objectNode().put("id", task.id()).put("contextId", task.contextId());
        node.set("status", status(task));
        if (!task.artifacts().isEmpty()) {
            ArrayNode artifacts = node.putArray("artifacts");
            task.artifacts().forEach(a -> artifacts.add(artifact(a)));
        }
        if (!task.history().isEmpty()) {
            ArrayNode history = node.putArray("history");
            task.history().forEach(m -> history.add(message(m)));
        }
        return node;
    }

    @Override
    public JsonNode taskEvent(TaskSnapshot task) {
        return wrap("task", task(task));
    }

    @Override
    public JsonNode statusEvent(TaskSnapshot task, boolean last) {
        ObjectNode event = event(task);
        event.set("status", status(task));
        return wrap("statusUpdate", event);
    }

    @Override
    public JsonNode artifactEvent(TaskSnapshot task, TaskSnapshot.Artifact chunk, boolean append, boolean lastChunk) {
        ObjectNode event = event(task);
        event.set("artifact", artifact(chunk));
        event.put("append", append).put("lastChunk", lastChunk);
        return wrap("artifactUpdate", event);
    }

    private static ObjectNode wrap(String field, JsonNode value) {
        ObjectNode node = NODES.objectNode();
        node.set(field, value);
        return node;
    }

    private static ObjectNode event(TaskSnapshot task) {
        return NODES.objectNode().put("taskId", task.id()).put("contextId", task.contextId());
    }

    private static ObjectNode status(TaskSnapshot task) {
        ObjectNode status = NODES.objectNode().put("state", task.state().currentName());
        ChatMessage message = task.statusMessage();
        if (message != null) {
            status.set("message", message(message));
        }
        return status.put("timestamp", task.timestamp().toString());
    }

    private static ObjectNode message(ChatMessage message) {
        ObjectNode node =
                NODES.objectNode().put("messageId", message.messageId()).put("contextId", message.contextId());
        String taskId = message.taskId();
        if (taskId != null) {
            node.put("taskId", taskId);
        }
        node.put("role", message.role() == ChatMessage.Role.USER ? "ROLE_USER" : "ROLE_AGENT");
        node.putArray("parts").addObject().put("text", message.text());
        return node;
    }

    private static ObjectNode artifact(TaskSnapshot.Artifact artifact) {
        ObjectNode node =
                NODES.objectNode().put("artifactId", artifact.artifactId()).put("name", artifact.name());
        node.putArray("parts").addObject().put("text", artifact.text());
        return node;
    }
}
