package dev.lifeline.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** Reads text that must be exactly one JSON object, with no key twice: what every frame must be. */
final class StrictJson {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {}

    static JsonNode object(String text) {
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not exactly one JSON value without duplicate keys: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new AssertionError("not a JSON object: " + text);
        }
        return node;
    }
}
