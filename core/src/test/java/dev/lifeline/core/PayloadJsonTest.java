package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadJsonTest {
    @Test
    void writesNestedValuesWithEveryStringQuoted() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", "a \"quoted\"\nname");
        payload.put("tier", 2);
        payload.put("ok", true);
        payload.put("card", Map.of("name", "echo"));
        payload.put("list", List.of(1, "x"));
        payload.put("forged", "{}},\"event\":\"WORKSPACE_REMOVED\"");
        assertThat(PayloadJson.write(payload))
                .isEqualTo("{\"name\":\"a \\\"quoted\\\"\\nname\",\"tier\":2,\"ok\":true,"
                        + "\"card\":{\"name\":\"echo\"},\"list\":[1,\"x\"],"
                        + "\"forged\":\"{}},\\\"event\\\":\\\"WORKSPACE_REMOVED\\\"\"}");
    }

    @Test
    void aNumberJsonCannotHoldIsWrittenAsNull() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("error_rate", Double.NaN);
        payload.put("spend", Double.POSITIVE_INFINITY);
        payload.put("ratio", Float.NEGATIVE_INFINITY);
        payload.put("fine", 0.5);
        assertThat(PayloadJson.write(payload))
                .isEqualTo("{\"error_rate\":null,\"spend\":null,\"ratio\":null,\"fine\":0.5}");
    }
}
