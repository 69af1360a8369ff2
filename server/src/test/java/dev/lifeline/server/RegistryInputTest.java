package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent sends to /registry is authenticated before anything is looked up, and bounded
 * before anything is stored.
 */
class RegistryInputTest {
    @TempDir
    static Path dataDir;

    private static TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An external workspace awaiting its agent, and that agent's token. */
    private record Joined(String id, String token) {
        ApiClient agent() {
            return new ApiClient(server.url(), token);
        }
    }

    private Joined external(String name) {
        JsonNode created = server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json();
        return new Joined(
                created.get("id").asText(),
                created.get("connection").get("auth_token").asText());
    }

    private ApiClient.Reply heartbeat(Joined w, String field, Object value) {
        Map<String, Object> body = new HashMap<>(Map.of("workspace_id", w.id()));
        body.put(field, value);
        return w.agent().post("/registry/heartbeat", body);
    }

    private JsonNode row(Joined w) {
        return server.api.get("/workspaces/" + w.id()).json();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTheRightTokenRegisterAndHeartbeatSayTheSameForExistingAndUnknownWorkspaces() throws Exception {
        Joined existing = external("probed");
        Joined other = external("other");
        String unknown = UUID.randomUUID().toString();
        String[][] credentials = {
            {}, {"Authorization", "Bearer forged"}, {"Authorization", "Bearer " + TestServer.ADMIN_TOKEN}
        };
        for (String id : new String[] {existing.id(), unknown}) {
            for (String[] credential : credentials) {
                HttpResponse<String> register = post(
                        "/registry/register",
                        Json.write(Map.of("id", id, "url", "http://127.0.0.1:9", "agent_card", Map.of())),
                        credential);
                HttpResponse<String> heartbeat =
                        post("/registry/heartbeat", Json.write(Map.of("workspace_id", id)), credential);

                assertThat(register.statusCode()).as("register %s", id).isEqualTo(401);
                assertThat(heartbeat.statusCode()).as("heartbeat %s", id).isEqualTo(401);
            }
            // another workspace's valid token opens nothing but its own workspace
            ApiClient.Reply borrowed = other.agent().post("/registry/heartbeat", Map.of("workspace_id", id));
            assertThat(borrowed.status()).isEqualTo(401);
            assertThat(borrowed.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        }
        HttpResponse<String> forExisting = post(
                "/registry/heartbeat", Json.write(Map.of("workspace_id", existing.id())), "Authorization", "Bearer x");
        HttpResponse<String> forUnknown =
                post("/registry/heartbeat", Json.write(Map.of("workspace_id", unknown)), "Authorization", "Bearer x");
        assertThat(forUnknown.body()).isEqualTo(forExisting.body());
        assertThat(server.api.get("/workspaces/" + unknown).status()).isEqualTo(404);
    }

    @Test
    void aTokenIsCheckedBeforeTheBodyIsRead() throws Exception {
        HttpResponse<String> r = post("/registry/heartbeat", "not json at all");
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void aHeartbeatWithDataAfterItsJsonIsA400() throws Exception {
        Joined w = external("trailing");
        HttpResponse<String> r = post(
                "/registry/heartbeat",
                Json.write(Map.of("workspace_id", w.id())) + "{\"workspace_id\":\"" + w.id() + "\"}",
                "Authorization",
                "Bearer " + w.token());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("request body has data after its JSON object");
    }

    @Test
    void anOversizedSampleErrorIsA413AndNothingOfItIsStored() {
        Joined w = external("chatty");

        ApiClient.Reply r = heartbeat(w, "sample_error", "x".repeat(InputLimits.SAMPLE_ERROR_BYTES + 1));

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).isEqualTo("sample_error is 4097 bytes; the limit is 4096 bytes");
        assertThat(row(w).get("last_sample_error").isNull()).isTrue();
        assertThat(row(w).get("last_heartbeat_at").isNull()).isTrue();
        assertThat(heartbeat(w, "sample_error", "x".repeat(InputLimits.SAMPLE_ERROR_BYTES))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anOversizedCurrentTaskOrRuntimeMetadataIsA413() {
        Joined w = external("busy");

        ApiClient.Reply task = heartbeat(w, "current_task", "t".repeat(InputLimits.CURRENT_TASK_BYTES + 1));
        ApiClient.Reply metadata =
                heartbeat(w, "runtime_metadata", Map.of("notes", "m".repeat(InputLimits.RUNTIME_METADATA_BYTES)));

        assertThat(task.status()).isEqualTo(413);
        assertThat(task.json().get("error").asText()).startsWith("current_task is 1025 bytes");
        assertThat(metadata.status()).isEqualTo(413);
        assertThat(metadata.json().get("error").asText()).startsWith("runtime_metadata is ");
    }

    @Test
    void anOversizedAgentCardIsA413AndTheWorkspaceKeepsAwaitingItsAgent() {
        Joined w = external("big-card");

        ApiClient.Reply r = w.agent()
                .post(
                        "/registry/register",
                        Map.of(
                                "id",
                                w.id(),
                                "url",
                                "http://127.0.0.1:9",
                                "agent_card",
                                Map.of("name", "c".repeat(InputLimits.AGENT_CARD_BYTES))));

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).startsWith("agent_card is ").endsWith("the limit is 65536 bytes");
        assertThat(row(w).get("status").asText()).isEqualTo("awaiting_agent");
    }

    @Test
    void aNanErrorRateIsA400AndNeverStoredOrServed() {
        Joined w = external("nan");

        ApiClient.Reply r = heartbeat(w, "error_rate", "NaN");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("error_rate must be a number from 0 to 1");
        assertThat(row(w).get("last_error_rate").asDouble()).isZero();
        assertThat(heartbeat(w, "error_rate", 1.5).status()).isEqualTo(400);
    }

    @Test
    void counterOverflowsAndNegativeCountsAreA400NamingTheField() {
        Joined w = external("counters");

        ApiClient.Reply wrapped = heartbeat(w, "active_tasks", 1L << 31);
        ApiClient.Reply negative = heartbeat(w, "active_tasks", -3);
        ApiClient.Reply uptime = heartbeat(w, "uptime_seconds", 1L << 31);
        ApiClient.Reply spend = heartbeat(w, "monthly_spend", -1);

        assertThat(wrapped.status()).isEqualTo(400);
        assertThat(wrapped.json().get("error").asText()).startsWith("active_tasks must be a whole number from 0");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(uptime.status()).isEqualTo(400);
        assertThat(uptime.json().get("error").asText()).startsWith("uptime_seconds");
        assertThat(spend.status()).isEqualTo(400);
        assertThat(spend.json().get("error").asText()).startsWith("monthly_spend");
        assertThat(row(w).get("active_tasks").asInt()).isZero();
    }

    @Test
    void anIdleTimeoutThatWouldOverflowADeadlineIsRefusedAtTheHeartbeat() throws Exception {
        Joined w = external("sleepless");

        HttpResponse<String> r = post(
                "/registry/heartbeat",
                "{\"workspace_id\":\"" + w.id() + "\",\"runtime_metadata\":{\"idle_timeout_seconds\":9e18}}",
                "Authorization",
                "Bearer " + w.token());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("runtime_metadata.idle_timeout_seconds must be a whole number from 0 to 2592000");
    }
}
