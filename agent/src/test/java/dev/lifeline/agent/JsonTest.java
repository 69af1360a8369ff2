package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    private final Json json = new Json();

    @Test
    void readsAndWritesEveryKindOfValue() throws IOException {
        String text = "{\"s\":\"é\\n\",\"i\":7,\"l\":12345678901,\"d\":1.5,\"b\":true,\"n\":null,\"a\":[1,{\"x\":[]}]}";

        JsonNode node = read(text);

        assertThat(json.writeString(node)).isEqualTo(text);
        assertThat(node.get("i").isInt()).isTrue();
        assertThat(node.get("l").isLong()).isTrue();
    }

    @Test
    void rejectsEmptyTruncatedAndTrailingInput() {
        assertThatThrownBy(() -> read("")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"a\":")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("[1,2")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{} {}")).isInstanceOf(IOException.class);
    }

    private JsonNode read(String text) throws IOException {
        return json.read(text.getBytes(StandardCharsets.UTF_8));
    }
}
