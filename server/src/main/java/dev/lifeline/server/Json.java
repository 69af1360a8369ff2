package dev.lifeline.server;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** Parses a request body that must be a JSON object; anything else is a 400 with a hint. */
    static JsonNode object(byte[] body, String hint) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("invalid JSON body", hint);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object", hint);
        }
        return node;
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
