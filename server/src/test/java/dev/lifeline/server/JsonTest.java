package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An API body is exactly one JSON object: nothing may follow it. */
class JsonTest {
    private static void parse(String body) {
        Json.object(body.getBytes(StandardCharsets.UTF_8), "send one object");
    }

    @Test
    void oneObjectWithSurroundingWhitespaceIsABody() {
        assertThat(Json.object(" {\"name\":\"a\"}\r\n ".getBytes(StandardCharsets.UTF_8), "")
                        .get("name")
                        .asText())
                .isEqualTo("a");
    }

    @Test
    void dataAfterTheObjectIsRefusedByName() {
        for (String body :
                new String[] {"{\"name\":\"a\"} xyz", "{\"name\":\"a\"}{\"name\":\"b\"}", "{} []", "{} 1", "{}}"}) {
            assertThatThrownBy(() -> parse(body))
                    .as(body)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("request body has data after its JSON object");
        }
    }

    @Test
    void anythingButAnObjectIsRefused() {
        assertThatThrownBy(() -> parse("")).hasMessage("request body must be a JSON object");
        assertThatThrownBy(() -> parse("[1] {}")).hasMessage("request body must be a JSON object");
        assertThatThrownBy(() -> parse("{\"name\":")).hasMessage("invalid JSON body");
    }
}
