package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON text read back from the database reaches clients as a parsed value or a string, never spliced in. */
class StoredJsonTest {
    private static final WorkspaceId ID = WorkspaceId.random();

    private static JsonNode servedEventLog(String payloadJson) {
        StoredEvent stored = new StoredEvent(7, "WORKSPACE_ONLINE", ID, payloadJson, Instant.EPOCH);
        return StrictJson.object("{\"events\":" + Json.write(List.of(EventRoutes.stored(stored))) + "}")
                .get("events")
                .get(0);
    }

    @Test
    void aStoredPayloadThatIsNotOneJsonValueIsServedAsAStringInTheEventLog() {
        String forged = "{}},\"event_type\":\"WORKSPACE_REMOVED\",\"x\":{\"y\":1";

        JsonNode row = servedEventLog(forged);

        assertThat(row.get("event_type").asText()).isEqualTo("WORKSPACE_ONLINE");
        assertThat(row.get("payload").asText()).isEqualTo(forged);
    }

    @Test
    void aStoredPayloadThatIsOneJsonValueIsServedParsed() {
        JsonNode row = servedEventLog("{\"url\":\"http://a:1\",\"agent_card\":{\"name\":\"echo\"}}");

        assertThat(row.get("payload").get("agent_card").get("name").asText()).isEqualTo("echo");
    }

    @Test
    void storedTextWithDataAfterItsValueIsAStringAndNothingAtAllIsAnEmptyString() {
        assertThat(Json.value("{\"name\":\"a\"} {\"name\":\"b\"}").isTextual()).isTrue();
        assertThat(Json.value("").asText()).isEmpty();
        assertThat(Json.value("[1,2]").isArray()).isTrue();
    }
}
