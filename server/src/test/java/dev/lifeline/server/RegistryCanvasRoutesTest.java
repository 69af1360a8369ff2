package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /registry/update-card} and {@code GET /registry/{id}/peers}: a workspace's own agent
 * (its token) or the operator (the admin token) may use them; another workspace's token may not.
 */
class RegistryCanvasRoutesTest {
    @TempDir
    static Path dataDir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An external workspace and its agent's client (with the workspace token). */
    private record Joined(String id, ApiClient agent) {}

    private static Joined external(String name) {
        JsonNode created = server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json();
        return new Joined(
                created.get("id").asText(),
                new ApiClient(server.url(), created.at("/connection/auth_token").asText()));
    }

    private static ApiClient anonymous() {
        return new ApiClient(server.url(), "");
    }

    private static Map<String, Object> cardUpdate(String id, Map<String, ?> card) {
        return Map.of("workspace_id", id, "agent_card", card);
    }

    @Test
    void anAgentReplacesItsOwnCardAndTheChangeIsAnnounced() {
        Joined w = external("card-owner");

        ApiClient.Reply updated = w.agent().post("/registry/update-card", cardUpdate(w.id(), Map.of("name", "v2")));

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("status").asText()).isEqualTo("updated");
        JsonNode newest = server.api.get("/events/" + w.id()).json().get(0);
        assertThat(newest.get("event_type").asText()).isEqualTo("AGENT_CARD_UPDATED");
        assertThat(newest.at("/payload/agent_card/name").asText()).isEqualTo("v2");
    }

    @Test
    void noOtherWorkspaceAndNoAnonymousCallerMayReplaceACard() {
        Joined owner = external("card-target");
        Joined other = external("card-thief");

        List<Integer> statuses = new ArrayList<>();
        statuses.add(other.agent()
                .post("/registry/update-card", cardUpdate(owner.id(), Map.of("name", "x")))
                .status());
        statuses.add(anonymous()
                .post("/registry/update-card", cardUpdate(owner.id(), Map.of("name", "x")))
                .status());
        statuses.add(new ApiClient(server.url(), "wrong")
                .post("/registry/update-card", cardUpdate(owner.id(), Map.of("name", "x")))
                .status());

        assertThat(statuses).containsOnly(401);
        assertThat(server.api
                        .get("/workspaces/" + owner.id())
                        .json()
                        .get("agent_card")
                        .isNull())
                .isTrue();
    }

    @Test
    void aCardIsBoundedAsAtRegistration() {
        Joined w = external("big-card");

        ApiClient.Reply tooLarge =
                server.api.post("/registry/update-card", cardUpdate(w.id(), Map.of("x", "a".repeat(64 * 1024))));

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(server.api
                        .post("/registry/update-card", Map.of("workspace_id", w.id(), "agent_card", "{}"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void peersAreListedForTheWorkspacesOwnAgentAndTheOperatorOnly() {
        Joined lead = external("peer-lead");
        Joined helper = external("peer-helper");
        server.api.patch("/workspaces/" + helper.id(), Map.of("parent_id", lead.id()));

        ApiClient.Reply byAgent = helper.agent().get("/registry/" + helper.id() + "/peers");
        ApiClient.Reply byOperator = server.api.get("/registry/" + lead.id() + "/peers?q=HELPER");

        assertThat(byAgent.status()).isEqualTo(200);
        assertThat(byAgent.json()).extracting(p -> p.get("id").asText()).containsExactly(lead.id());
        assertThat(byOperator.json()).extracting(p -> p.get("id").asText()).containsExactly(helper.id());
        JsonNode peer = byOperator.json().get(0);
        assertThat(peer.get("url").asText()).isEqualTo(server.url() + "/workspaces/" + helper.id() + "/a2a");
        assertThat(peer.get("parent_id").asText()).isEqualTo(lead.id());
        assertThat(lead.agent().get("/registry/" + helper.id() + "/peers").status())
                .isEqualTo(401);
        assertThat(anonymous().get("/registry/" + helper.id() + "/peers").status())
                .isEqualTo(401);
        assertThat(server.api.get("/registry/" + UUID.randomUUID() + "/peers").status())
                .isEqualTo(404);
    }
}
