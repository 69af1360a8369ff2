package dev.lifeline.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.RawJson;
import java.io.IOException;

/** The one JSON mapper of the HTTP edge. */
final class Json {
    static final ObjectMapper MAPPER =
            new ObjectMapper().registerModule(new SimpleModule().addSerializer(new RawJsonSerializer()));

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

    private static final class RawJsonSerializer extends StdSerializer<RawJson> {
        private static final long serialVersionUID = 1L;

        RawJsonSerializer() {
            super(RawJson.class);
        }

        @Override
        public void serialize(RawJson value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(value.json());
        }
    }
}
