package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.TooLargeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an agent may send to /registry: each field typed, each number in range, each text bounded. */
class RegistryRequestsTest {
    private static final String ID = UUID.randomUUID().toString();

    private static JsonNode body(Map<String, ?> fields) {
        return Json.MAPPER.valueToTree(fields);
    }

    private static RegistryRequests.Beat beat(String field, Object value) {
        Map<String, Object> fields = new HashMap<>(Map.of("workspace_id", ID));
        fields.put(field, value);
        return RegistryRequests.heartbeat(body(fields));
    }

    private static RegistryRequests.Beat beatWithMetadata(Map<String, ?> metadata) {
        return beat("runtime_metadata", metadata);
    }

    private static RegistryRequests.Registration register(String url, Map<String, ?> card) {
        return RegistryRequests.registration(body(Map.of("id", ID, "url", url, "agent_card", card)));
    }

    /** A JSON object whose text is exactly {@code bytes} long. */
    private static Map<String, String> objectOfSize(int bytes) {
        String empty = Json.write(Map.of("x", ""));
        return Map.of("x", "a".repeat(bytes - empty.length()));
    }

    @Test
    void aHeartbeatWithOnlyItsWorkspaceIdReportsNothingWrong() {
        RegistryRequests.Beat beat = RegistryRequests.heartbeat(body(Map.of("workspace_id", ID)));

        assertThat(beat.heartbeat().errorRate()).isZero();
        assertThat(beat.heartbeat().activeTasks()).isZero();
        assertThat(beat.heartbeat().sampleError()).isNull();
        assertThat(beat.idleTimeout()).isNull();
    }

    @Test
    void aHeartbeatsCapacityIsAWholeNumberOfTasksAndItsNativeSessionABoolean() {
        assertThat(beat("max_concurrent_tasks", 2).capacity()).isEqualTo(2);
        assertThat(RegistryRequests.heartbeat(body(Map.of("workspace_id", ID))).capacity())
                .isNull();
        for (Object bad : new Object[] {0, -1, 2.5, "2", 10_001}) {
            assertThatThrownBy(() -> beat("max_concurrent_tasks", bad))
                    .as(String.valueOf(bad))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("max_concurrent_tasks must be a whole number from 1 to");
        }
        assertThat(beatWithMetadata(Map.of("capabilities", Map.of("session", true)))
                        .nativeSession())
                .isTrue();
        assertThat(beatWithMetadata(Map.of("capabilities", Map.of("retry", true)))
                        .nativeSession())
                .isFalse();
        assertThatThrownBy(() -> beatWithMetadata(Map.of("capabilities", Map.of("session", "yes"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("runtime_metadata.capabilities.session must be true or false");
    }

    @Test
    void aSampleErrorIsBoundedAt4KibOfUtf8() {
        assertThat(beat("sample_error", "e".repeat(4096)).heartbeat().sampleError())
                .hasSize(4096);
        assertThatThrownBy(() -> beat("sample_error", "e".repeat(4097)))
                .isInstanceOf(TooLargeException.class)
                .hasMessage("sample_error is 4097 bytes; the limit is 4096 bytes");
        // 1366 three-byte characters are 4098 bytes: the bound is on what the database stores
        assertThatThrownBy(() -> beat("sample_error", "€".repeat(1366))).isInstanceOf(TooLargeException.class);
    }

    @Test
    void theCurrentTaskIsBoundedAt1Kib() {
        assertThat(beat("current_task", "t".repeat(1024)).heartbeat().currentTask())
                .hasSize(1024);
        assertThatThrownBy(() -> beat("current_task", "t".repeat(1025)))
                .isInstanceOf(TooLargeException.class)
                .hasMessageContaining("current_task")
                .hasMessageContaining("1024 bytes");
    }

    @Test
    void runtimeMetadataIsBoundedAt16KibInTotal() {
        assertThat(beatWithMetadata(objectOfSize(16 * 1024)).idleTimeout()).isNull();
        assertThatThrownBy(() -> beatWithMetadata(objectOfSize(16 * 1024 + 1)))
                .isInstanceOf(TooLargeException.class)
                .hasMessage("runtime_metadata is 16385 bytes; the limit is 16384 bytes");
        assertThatThrownBy(() -> beat("runtime_metadata", "idle=60"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("runtime_metadata must be a JSON object");
    }

    @Test
    void anAgentCardIsBoundedAt64Kib() {
        assertThat(Json.write(
                        register("http://agent:8000", objectOfSize(64 * 1024)).agentCard()))
                .hasSize(64 * 1024);
        assertThatThrownBy(() -> register("http://agent:8000", objectOfSize(64 * 1024 + 1)))
                .isInstanceOf(TooLargeException.class)
                .hasMessage("agent_card is 65537 bytes; the limit is 65536 bytes");
    }

    @Test
    void aCardUpdateIsBoundedLikeARegistrationsCardAndNamesWhatIsMissing() {
        Map<String, String> largest = objectOfSize(64 * 1024);
        assertThat(RegistryRequests.cardUpdate(body(Map.of("workspace_id", ID, "agent_card", largest)))
                        .agentCard())
                .hasSize(1);
        assertThatThrownBy(() -> RegistryRequests.cardUpdate(
                        body(Map.of("workspace_id", ID, "agent_card", objectOfSize(64 * 1024 + 1)))))
                .isInstanceOf(TooLargeException.class)
                .hasMessage("agent_card is 65537 bytes; the limit is 65536 bytes");
        assertThatThrownBy(() -> RegistryRequests.cardUpdate(body(Map.of("workspace_id", ID, "agent_card", "{}"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("agent_card ");
        assertThatThrownBy(() -> RegistryRequests.cardUpdate(body(Map.of("agent_card", Map.of()))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("workspace_id ");
    }

    @Test
    void aRegistrationNamesWhatIsMissingOrMistyped() {
        assertThatThrownBy(() -> RegistryRequests.registration(body(Map.of("id", ID, "url", "http://a:1"))))
                .hasMessage("agent_card is required and must be a JSON object");
        assertThatThrownBy(() ->
                        RegistryRequests.registration(body(Map.of("id", ID, "url", "http://a:1", "agent_card", "{}"))))
                .hasMessage("agent_card must be a JSON object");
        assertThatThrownBy(() ->
                        RegistryRequests.registration(body(Map.of("id", ID, "url", 8000, "agent_card", Map.of()))))
                .hasMessage("url must be a string");
        assertThatThrownBy(() -> register("http://a:1/" + "p".repeat(2048), Map.of()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("url must be at most 2048 characters");
        assertThatThrownBy(() -> RegistryRequests.registration(
                        body(Map.of("id", "ws-1", "url", "http://a:1", "agent_card", Map.of()))))
                .hasMessage("id must be a workspace id");
    }

    @Test
    void theErrorRateIsAFiniteNumberFromZeroToOne() {
        assertThat(beat("error_rate", 1).heartbeat().errorRate()).isEqualTo(1.0);
        assertThat(beat("error_rate", 0.25).heartbeat().errorRate()).isEqualTo(0.25);
        for (Object bad : new Object[] {"NaN", "0.5", 1.01, -0.01, Double.MAX_VALUE, true}) {
            assertThatThrownBy(() -> beat("error_rate", bad))
                    .as("error_rate %s", bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("error_rate must be a number from 0 to 1");
        }
    }

    @Test
    void activeTasksIsANonNegativeWholeNumberThatFitsItsColumn() {
        assertThat(beat("active_tasks", Integer.MAX_VALUE).heartbeat().activeTasks())
                .isEqualTo(Integer.MAX_VALUE);
        for (Object bad : new Object[] {-3, 1L << 31, 1.5, "2"}) {
            assertThatThrownBy(() -> beat("active_tasks", bad))
                    .as("active_tasks %s", bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("active_tasks must be a whole number from 0 to 2147483647");
        }
    }

    @Test
    void uptimeIsANonNegativeWholeNumberOfSecondsInRange() {
        assertThat(beat("uptime_seconds", 3600).heartbeat().uptimeSeconds()).isEqualTo(3600);
        for (Object bad : new Object[] {-1, 1L << 31, 9e18}) {
            assertThatThrownBy(() -> beat("uptime_seconds", bad))
                    .as("uptime_seconds %s", bad)
                    .hasMessageStartingWith("uptime_seconds must be a whole number from 0 to");
        }
    }

    @Test
    void monthlySpendIsNonNegativeAndBounded() {
        assertThat(beat("monthly_spend", 1_000_000_000_000L).heartbeat().monthlySpend())
                .isEqualTo(1_000_000_000_000L);
        for (Object bad : new Object[] {-1, 1_000_000_000_001L, Long.MAX_VALUE, "100"}) {
            assertThatThrownBy(() -> beat("monthly_spend", bad))
                    .as("monthly_spend %s", bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("monthly_spend must be a whole number from 0 to 1000000000000");
        }
    }

    @Test
    void anAnnouncedIdleTimeoutIsWholeSecondsUpToThirtyDays() {
        long thirtyDays = Duration.ofDays(30).toSeconds();
        assertThat(beatWithMetadata(Map.of("idle_timeout_seconds", thirtyDays)).idleTimeout())
                .isEqualTo(Duration.ofDays(30));
        assertThat(beatWithMetadata(Map.of("idle_timeout_seconds", 0)).idleTimeout())
                .isNull();
        for (Object bad : new Object[] {9e18, thirtyDays + 1, Long.MAX_VALUE, -1, "60"}) {
            assertThatThrownBy(() -> beatWithMetadata(Map.of("idle_timeout_seconds", bad)))
                    .as("idle_timeout_seconds %s", bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("runtime_metadata.idle_timeout_seconds must be a whole number from 0 to 2592000");
        }
    }

    @Test
    void sampleErrorAndCurrentTaskAreText() {
        assertThatThrownBy(() -> beat("sample_error", Map.of("trace", "x")))
                .hasMessage("sample_error must be a string");
        assertThatThrownBy(() -> beat("current_task", 7)).hasMessage("current_task must be a string");
    }
}
