package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Molecule canvas against Lifeline: its own requests, from {@code http://localhost:3000} with
 * credentials, as found in its source ({@code canvas/src} of Molecule-AI/molecule-core), and the
 * fields it reads from each answer. The agents are operator-run (external) workspaces answered by
 * a small JSON-RPC server in this test.
 */
class CanvasContractTest {
    @TempDir
    static Path dataDir;

    private static HttpServer agent;
    private static TestServer server;
    private static CanvasBrowser canvas;

    @BeforeAll
    static void start() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", exchange -> {
            JsonNode call = Json.MAPPER.readTree(exchange.getRequestBody());
            String text = call.path("params")
                    .path("message")
                    .path("parts")
                    .path(0)
                    .path("text")
                    .asText();
            byte[] body = Json.write(Map.of(
                            "jsonrpc", "2.0",
                            "id", call.path("id"),
                            "result",
                                    Map.of(
                                            "kind", "message",
                                            "role", "agent",
                                            "parts", List.of(Map.of("kind", "text", "text", "echo: " + text)))))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        server = TestServer.start(dataDir, Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true"));
        canvas = new CanvasBrowser(server.url(), TestServer.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        agent.stop(0);
    }

    private static String agentUrl() {
        return "http://127.0.0.1:" + agent.getAddress().getPort();
    }

    /** The create dialog's request for an external workspace: the node is dropped at a random place. */
    private static JsonNode createExternal(String name, double x, double y) {
        ApiClient.Reply created = canvas.post(
                "/workspaces",
                Map.of(
                        "name",
                        name,
                        "role",
                        "writes",
                        "tier",
                        2,
                        "canvas",
                        Map.of("x", x, "y", y),
                        "runtime",
                        "external"));
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    /** An external workspace whose agent (this test's server) joined with its token. */
    private static String onlineAgent(String name) {
        JsonNode created = createExternal(name, 100, 100);
        String id = created.get("id").asText();
        ApiClient agentsClient =
                new ApiClient(server.url(), created.at("/connection/auth_token").asText());
        assertThat(agentsClient
                        .post(
                                "/registry/register",
                                Map.of("id", id, "url", agentUrl(), "agent_card", Map.of("name", name)))
                        .status())
                .isEqualTo(200);
        return id;
    }

    private static JsonNode workspace(String id) {
        for (JsonNode w : canvas.get("/workspaces").json()) {
            if (w.get("id").asText().equals(id)) {
                return w;
            }
        }
        throw new AssertionError("no workspace " + id + " in GET /workspaces");
    }

    /** The chat tab's body for a typed message, as ChatTab sends it. */
    private static Map<String, Object> chatMessage(String text) {
        return Map.of(
                "method",
                "message/send",
                "params",
                Map.of(
                        "message",
                                Map.of(
                                        "role", "user",
                                        "messageId", UUID.randomUUID().toString(),
                                        "parts", List.of(Map.of("kind", "text", "text", text))),
                        "metadata", Map.of("history", List.of())));
    }

    @Test
    void theGraphLoadsWithEveryFieldTheCanvasLaysOutAndDraws() {
        String id = createExternal("graph", 237.4, 181.9).get("id").asText();

        ApiClient.Reply listed = canvas.get("/workspaces");

        assertThat(listed.status()).isEqualTo(200);
        JsonNode w = workspace(id);
        for (String field : List.of(
                "id",
                "name",
                "role",
                "tier",
                "status",
                "agent_card",
                "url",
                "parent_id",
                "active_tasks",
                "last_error_rate",
                "last_sample_error",
                "uptime_seconds",
                "current_task",
                "runtime",
                "x",
                "y",
                "collapsed",
                "budget_limit")) {
            assertThat(w.has(field)).as(field).isTrue();
        }
        assertThat(w.get("x").doubleValue()).isEqualTo(237.4);
        assertThat(w.get("y").doubleValue()).isEqualTo(181.9);
        assertThat(w.get("collapsed").isBoolean()).isTrue();
        assertThat(w.get("collapsed").booleanValue()).isFalse();
        assertThat(w.get("tier").asInt()).isEqualTo(2);
        assertThat(w.get("status").asText()).isEqualTo("awaiting_agent");
    }

    @Test
    void draggingCollapsingAndNestingNodesIsKept() {
        String parent = createExternal("team", 0, 0).get("id").asText();
        String child = createExternal("member", 10, 10).get("id").asText();

        assertThat(canvas.patch("/workspaces/" + child, Map.of("x", 512.5, "y", -64))
                        .status())
                .isEqualTo(200);
        assertThat(canvas.patch("/workspaces/" + parent, Map.of("collapsed", true))
                        .status())
                .isEqualTo(200);
        assertThat(workspace(child).get("x").doubleValue()).isEqualTo(512.5);
        assertThat(workspace(child).get("y").doubleValue()).isEqualTo(-64);
        assertThat(workspace(parent).get("collapsed").booleanValue()).isTrue();

        ApiClient.Reply nested = canvas.patch("/workspaces/" + child, Map.of("parent_id", parent, "x", 40.5, "y", 80));

        assertThat(nested.status()).isEqualTo(200);
        assertThat(nested.json().get("status").asText()).isEqualTo("updated");
        JsonNode moved = workspace(child);
        assertThat(moved.get("parent_id").asText()).isEqualTo(parent);
        assertThat(moved.get("x").doubleValue()).isEqualTo(40.5);
        assertThat(moved.get("y").doubleValue()).isEqualTo(80);
        assertThat(canvas.patch("/workspaces/" + parent, Map.of("collapsed", false))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theViewportIsRestoredAsLastSaved() {
        JsonNode before = canvas.get("/canvas/viewport").json();
        assertThat(before.get("zoom").isNumber()).isTrue();

        ApiClient.Reply saved = canvas.put("/canvas/viewport", Map.of("x", -320.25, "y", 48, "zoom", 0.8));

        assertThat(saved.status()).isEqualTo(200);
        JsonNode after = canvas.get("/canvas/viewport").json();
        assertThat(after.get("x").doubleValue()).isEqualTo(-320.25);
        assertThat(after.get("y").doubleValue()).isEqualTo(48);
        assertThat(after.get("zoom").doubleValue()).isEqualTo(0.8);
    }

    @Test
    void theLiveFeedOpensWithTheTokenInItsUrlAndCarriesWhatTheCanvasApplies() throws Exception {
        URI feed = URI.create("ws://127.0.0.1:" + server.server.port() + "/ws?token=" + TestServer.ADMIN_TOKEN);
        try (EventRecorder events = EventRecorder.webSocket(feed, Map.of("Origin", CanvasBrowser.ORIGIN))) {
            JsonNode created = createExternal("live", 1, 2);
            String id = created.get("id").asText();
            ApiClient agentsClient = new ApiClient(
                    server.url(), created.at("/connection/auth_token").asText());
            Map<String, Object> card = Map.of("name", "live", "skills", List.of(Map.of("id", "write")));
            agentsClient.post("/registry/register", Map.of("id", id, "url", agentUrl(), "agent_card", card));
            agentsClient.post(
                    "/registry/heartbeat",
                    Map.of("workspace_id", id, "active_tasks", 1, "current_task", "drafting the summary"));

            await().atMost(Duration.ofSeconds(10)).until(() -> events.types(id)
                    .containsAll(List.of("WORKSPACE_AWAITING_AGENT", "WORKSPACE_ONLINE", "TASK_UPDATED")));
            EventRecorder.Seen online = events.all().stream()
                    .filter(e -> e.workspaceId().equals(id) && e.type().equals("WORKSPACE_ONLINE"))
                    .findFirst()
                    .orElseThrow();
            JsonNode envelope = Json.MAPPER.readTree(online.frame());
            assertThat(envelope.get("timestamp").asText()).isNotBlank();
            assertThat(envelope.get("payload").isObject()).isTrue();
            assertThat(payload(events, id, "AGENT_CARD_UPDATED").get("agent_card"))
                    .isEqualTo(Json.MAPPER.valueToTree(card));
            JsonNode task = payload(events, id, "TASK_UPDATED");
            assertThat(task.get("current_task").asText()).isEqualTo("drafting the summary");
            assertThat(task.get("active_tasks").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theLiveFeedIsRefusedWithoutTheToken() {
        URI feed = URI.create("ws://127.0.0.1:" + server.server.port() + "/ws");

        assertThatThrownBy(() -> EventRecorder.webSocket(feed, Map.of("Origin", CanvasBrowser.ORIGIN)))
                .isInstanceOf(CompletionException.class);
    }

    private static JsonNode payload(EventRecorder events, String id, String type) {
        return events.all().stream()
                .filter(e -> e.workspaceId().equals(id) && e.type().equals(type))
                .map(EventRecorder.Seen::payload)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + id));
    }

    @Test
    void aChatMessageAndItsAnswerReturnAsTheChatHistory() {
        String id = onlineAgent("chat");

        ApiClient.Reply answer = canvas.post("/workspaces/" + id + "/a2a", chatMessage("hello there"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/result/parts/0/text").asText()).isEqualTo("echo: hello there");
        String history = "/workspaces/" + id + "/activity?type=a2a_receive&source=canvas&limit=50";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> canvas.get(history).json().size() == 1);
        JsonNode row = canvas.get(history).json().get(0);
        assertThat(row.get("activity_type").asText()).isEqualTo("a2a_receive");
        assertThat(row.get("status").asText()).isEqualTo("ok");
        assertThat(row.get("created_at").asText()).isNotBlank();
        assertThat(row.at("/request_body/params/message/parts/0/text").asText()).isEqualTo("hello there");
        assertThat(row.at("/response_body/result/parts/0/text").asText()).isEqualTo("echo: hello there");
    }

    @Test
    void theActivityTabAndTheAgentPanelTellCanvasCallsFromAgentCalls() throws Exception {
        String target = onlineAgent("target");
        JsonNode caller = createExternal("caller", 5, 5);
        canvas.post("/workspaces/" + target + "/a2a", chatMessage("from the operator"));
        HttpResponse<String> fromAgent = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + target + "/a2a"))
                                .header(
                                        "Authorization",
                                        "Bearer "
                                                + caller.at("/connection/auth_token")
                                                        .asText())
                                .header("X-Workspace-ID", caller.get("id").asText())
                                .POST(HttpRequest.BodyPublishers.ofString(Json.write(chatMessage("from an agent"))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(fromAgent.statusCode()).isEqualTo(200);

        String activity = "/workspaces/" + target + "/activity";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> canvas.get(activity).json().size() == 2);

        JsonNode all = canvas.get(activity + "?type=a2a_receive").json();
        assertThat(all).allSatisfy(row -> {
            assertThat(row.get("id").isTextual()).isTrue();
            assertThat(row.get("request_body").isObject()).isTrue();
        });
        assertThat(all.get(0).get("id").asText())
                .isNotEqualTo(all.get(1).get("id").asText());
        JsonNode agents = canvas.get(activity + "?source=agent&limit=50").json();
        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).get("source_id").asText())
                .isEqualTo(caller.get("id").asText());
        assertThat(agents.get(0).at("/request_body/params/message/parts/0/text").asText())
                .isEqualTo("from an agent");
        JsonNode operator = canvas.get(activity + "?source=canvas&limit=50").json();
        assertThat(operator).hasSize(1);
        assertThat(operator.get(0).get("source_id").isNull()).isTrue();
        assertThat(canvas.get(activity + "?type=a2a_send").json()).isEmpty();
    }

    @Test
    void theDetailsTabListsPeersAndTheConfigTabSavesTheCard() {
        String lead = onlineAgent("lead");
        String helper = createExternal("helper", 0, 0).get("id").asText();
        canvas.patch("/workspaces/" + helper, Map.of("parent_id", lead, "x", 0, "y", 0));

        JsonNode peers = canvas.get("/registry/" + lead + "/peers").json();

        JsonNode found = null;
        for (JsonNode p : peers) {
            if (p.get("id").asText().equals(helper)) {
                found = p;
            }
        }
        assertThat(found).isNotNull();
        assertThat(found.get("name").asText()).isEqualTo("helper");
        assertThat(found.get("role").asText()).isEqualTo("writes");
        assertThat(found.get("status").asText()).isEqualTo("awaiting_agent");
        assertThat(found.get("tier").asInt()).isEqualTo(2);

        Map<String, Object> card = Map.of("name", "lead", "description", "edited in the config tab");
        ApiClient.Reply saved = canvas.post("/registry/update-card", Map.of("workspace_id", lead, "agent_card", card));

        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().get("status").asText()).isEqualTo("updated");
        assertThat(canvas.get("/workspaces/" + lead).json().get("agent_card")).isEqualTo(Json.MAPPER.valueToTree(card));
    }

    @Test
    void anExternalWorkspaceComesWithSnippetsTheCanvasFillsWithItsToken() {
        JsonNode connection = createExternal("byo", 0, 0).get("connection");
        String token = connection.get("auth_token").asText();

        String python = connection
                .get("python_snippet")
                .asText()
                .replace("AUTH_TOKEN    = \"<paste from create response>\"", "AUTH_TOKEN    = \"" + token + "\"");
        String curl = connection
                .get("curl_register_template")
                .asText()
                .replace(
                        "WORKSPACE_AUTH_TOKEN=\"<paste from create response>\"",
                        "WORKSPACE_AUTH_TOKEN=\"" + token + "\"");

        assertThat(python).contains(token, connection.get("workspace_id").asText(), server.url() + "\"");
        assertThat(curl).contains(token, server.url() + "/registry/register", server.url() + "/registry/heartbeat");
        assertThat(connection.get("registry_endpoint").asText()).isEqualTo(server.url() + "/registry/register");
        assertThat(connection.get("heartbeat_endpoint").asText()).isEqualTo(server.url() + "/registry/heartbeat");
        assertThat(connection.get("platform_url").asText()).isEqualTo(server.url());
    }

    @Test
    void deletingAWorkspaceWithItsChildrenAnswersTheCanvas() {
        String parent = createExternal("old-team", 0, 0).get("id").asText();
        String child = createExternal("old-member", 0, 0).get("id").asText();
        canvas.patch("/workspaces/" + child, Map.of("parent_id", parent, "x", 0, "y", 0));

        ApiClient.Reply removed = canvas.delete("/workspaces/" + parent + "?confirm=true");

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("status").asText()).isEqualTo("removed");
        assertThat(canvas.get("/workspaces").json())
                .noneSatisfy(w -> assertThat(w.get("id").asText()).isIn(parent, child));
    }
}
