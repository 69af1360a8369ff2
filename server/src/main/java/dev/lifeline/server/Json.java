package dev.lifeline.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lifeline.core.InvalidRequestException;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The one JSON mapper of the HTTP edge. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader ONE_VALUE = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<Map<String, @Nullable Object>> TREE = new TypeReference<>() {};

    private Json() {}

    /**
     * Parses a request body that must be exactly one JSON object; anything else, including data
     * after the object, is a 400 with a hint.
     */
    static JsonNode object(byte[] body, String hint) {
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(body)) {
            node = MAPPER.readTree(parser);
            if (node != null && node.isObject() && !atEnd(parser)) {
                throw new InvalidRequestException("request body has data after its JSON object", hint);
            }
        } catch (IOException e) {
            throw new InvalidRequestException("invalid JSON body", hint);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object", hint);
        }
        return node;
    }

    /** Whether nothing but whitespace follows the value just read; unparsable trailing text is not the end. */
    private static boolean atEnd(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("response serialisation failed", e);
        }
    }

    /**
     * Stored JSON text (an event payload, an agent card) as a value to embed in an answer: parsed
     * when it is exactly one JSON value, else a string, so no text is ever spliced into the output.
     */
    static JsonNode value(String json) {
        try {
            JsonNode node = ONE_VALUE.readTree(json);
            return node == null || node.isMissingNode() ? TextNode.valueOf(json) : node;
        } catch (IOException notOneValue) {
            return TextNode.valueOf(json);
        }
    }

    /** A parsed JSON object as plain maps and lists, the form events carry. */
    static Map<String, @Nullable Object> tree(JsonNode object) {
        return MAPPER.convertValue(object, TREE);
    }
}
