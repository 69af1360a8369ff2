package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadJsonTest {
    @Test
    void writesNestedValuesAndEmbedsRawJsonAsIs() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", "a \"quoted\"\nname");
        payload.put("tier", 2);
        payload.put("ok", true);
        payload.put("card", new RawJson("{\"name\":\"echo\"}"));
        payload.put("list", List.of(1, "x"));
        assertThat(PayloadJson.write(payload))
                .isEqualTo("{\"name\":\"a \\\"quoted\\\"\\nname\",\"tier\":2,\"ok\":true,"
                        + "\"card\":{\"name\":\"echo\"},\"list\":[1,\"x\"]}");
    }
}
