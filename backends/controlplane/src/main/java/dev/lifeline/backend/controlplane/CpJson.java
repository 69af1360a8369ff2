package dev.lifeline.backend.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.core.StartSpec;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The control plane's JSON: the provision body Lifeline sends, and the string fields it reads back.
 * Decoding reads the first JSON value and ignores whatever follows it.
 */
final class CpJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CpJson() {}

    /** {@code {org_id, workspace_id, runtime, tier, platform_url, env}}; env holds secrets: never log it. */
    static String provisionBody(String orgId, StartSpec spec, Map<String, String> env) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("org_id", orgId)
                .put("workspace_id", spec.id().toString())
                .put("runtime", spec.runtime())
                .put("tier", spec.tier())
                .put("platform_url", spec.platformUrl());
        ObjectNode envNode = body.putObject("env");
        new TreeMap<>(env).forEach(envNode::put);
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings cannot fail to serialise", e);
        }
    }

    /**
     * The string field {@code name} of the JSON object at the start of {@code body}; empty when the
     * body is not a JSON object or has no such string field.
     */
    static Optional<String> field(byte[] body, String name) {
        return object(body).map(o -> o.get(name)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** Whether {@code body} starts with a JSON object. */
    static boolean isObject(byte[] body) {
        return object(body).isPresent();
    }

    private static Optional<JsonNode> object(byte[] body) {
        try (var parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
