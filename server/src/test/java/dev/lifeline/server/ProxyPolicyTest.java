package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import dev.lifeline.testkit.StubAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call whom, what they may send, and what they get back: every refusal is a clear JSON answer. */
class ProxyPolicyTest {
    @TempDir
    Path dataDir;

    private final Map<String, String> tokens = new HashMap<>();
    private final StubAgent agent =
            StubAgent.start().answering(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}");
    private ScriptedProvisioner backend;
    private ScriptedProvisioner urlless;
    private TestServer server;

    @BeforeEach
    void start() {
        String url = agent.url();
        backend = new ScriptedProvisioner("vm", spec -> url);
        urlless = new ScriptedProvisioner("remote", spec -> null);
        server = TestServer.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"), backend, urlless);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    private String online(String name, String parent) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "backend", "vm"));
        if (parent != null) {
            body.put("parent_id", parent);
        }
        String id = server.api.post("/workspaces", body).json().get("id").asText();
        register(backend, id, "http://127.0.0.1:1");
        return id;
    }

    private ApiClient.Reply register(ScriptedProvisioner on, String id, String url) {
        await().until(() -> on.starts().stream().anyMatch(s -> s.id().toString().equals(id)));
        String token = on.lastStart(WorkspaceId.parse(id)).env().get("WORKSPACE_AUTH_TOKEN");
        tokens.put(id, token);
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        return new ApiClient(server.url(), token)
                .post(
                        "/registry/register",
                        Map.of("id", id, "url", url, "agent_card", Map.of("name", "vm", "url", url)));
    }

    private HttpResponse<String> call(String target, String callerId, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + target + "/a2a"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token);
        if (callerId != null) {
            b.header("X-Workspace-ID", callerId);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] message() {
        return Json.write(DemoCommand.message("hi")).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void siblingsMayCallEachOtherButCousinsAreRefusedByTheHierarchyRule() throws Exception {
        String root = online("root", null);
        String a = online("a", root);
        String b = online("b", root);
        String cousin = online("cousin", a);

        assertThat(call(b, a, tokens.get(a), message()).statusCode()).isEqualTo(200);
        assertThat(call(root, cousin, tokens.get(cousin), message()).statusCode())
                .isEqualTo(200);
        HttpResponse<String> refused = call(b, cousin, tokens.get(cousin), message());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("access denied: workspaces cannot communicate per hierarchy rules");
    }

    @Test
    void anAgentMustCarryItsOwnTokenNotAnotherWorkspaces() throws Exception {
        String a = online("a", null);
        String b = online("b", null);

        HttpResponse<String> stolen = call(b, a, tokens.get(b), message());
        HttpResponse<String> missing = call(b, a, TestServer.ADMIN_TOKEN, message());

        assertThat(stolen.statusCode()).isEqualTo(401);
        assertThat(stolen.body()).contains("invalid caller auth token");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("missing caller auth token");
    }

    @Test
    void aWorkspaceOverItsBudgetAnswers402() throws Exception {
        String id = online("spender", null);
        assertThat(server.api
                        .patch("/workspaces/" + id, Map.of("budget_limit", 100))
                        .status())
                .isEqualTo(200);
        new ApiClient(server.url(), tokens.get(id))
                .post("/registry/heartbeat", Map.of("workspace_id", id, "monthly_spend", 150));

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, message());

        assertThat(r.statusCode()).isEqualTo(402);
        assertThat(r.body()).contains("workspace budget limit exceeded");
    }

    @Test
    void aTwoMebibyteRequestIs413() throws Exception {
        String id = online("big-in", null);
        byte[] body = new byte[2 << 20];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"error\"");
    }

    @Test
    void anElevenMebibyteAnswerIsA502ThatSaysWhy() throws Exception {
        String id = online("big-out", null);
        agent.answering(r -> StubAgent.Answer.json(200, new byte[11 << 20]));

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, message());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("agent response exceeds the 10 MiB limit");
    }

    @Test
    void jsonRpcErrorsFromTheAgentPassThroughIntactWithTheAgentsStatus() throws Exception {
        String id = online("strict", null);
        String error = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"bad params\"}}";
        agent.answering(400, error);

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, message());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(error);
    }

    @Test
    void aStreamComesBackWithTheAgentsContentTypeCachingAndVersionHeaders() throws Exception {
        String id = online("streaming", null);
        Map<String, String> agentHeaders = Map.of(
                "Content-Type", "text/event-stream; charset=utf-8", "Cache-Control", "no-store", "A2A-Version", "1.0");
        agent.answering(r -> new StubAgent.Answer(
                200,
                agentHeaders,
                "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n".getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, message());

        assertThat(r.statusCode()).isEqualTo(200);
        agentHeaders.forEach((name, value) ->
                assertThat(r.headers().allValues(name)).as(name).containsExactly(value));
        assertThat(r.body()).startsWith("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    @Test
    void theAgentsVaryJoinsLifelinesVaryOriginAndItsContentTypeIsNotSniffed() throws Exception {
        String id = online("varying", null);
        agent.answering(r -> new StubAgent.Answer(
                200,
                Map.of("Content-Type", "text/html", "Vary", "Accept-Encoding"),
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(message()))
                                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                                .header("Origin", "http://localhost:3000")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
        assertThat(String.join(",", r.headers().allValues("Vary")))
                .contains("Origin")
                .contains("Accept-Encoding");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aBodyLifelineCannotReadAsAnObjectIsTheAgentsToAnswer() throws Exception {
        String id = online("picky", null);
        String refusal = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"no batches\"}}";
        agent.answering(200, refusal);

        HttpResponse<String> r = call(id, null, TestServer.ADMIN_TOKEN, "[1,2,3]".getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(refusal);
        assertThat(agent.received().getLast().text()).isEqualTo("[1,2,3]");
    }

    @Test
    void aParentIdThatWouldMakeACycleIsRejected() {
        String root = online("root", null);
        String child = online("child", root);

        ApiClient.Reply cycle = server.api.patch("/workspaces/" + root, Map.of("parent_id", child));
        ApiClient.Reply self = server.api.patch("/workspaces/" + root, Map.of("parent_id", root));
        ApiClient.Reply unknown = server.api.patch(
                "/workspaces/" + root,
                Map.of("parent_id", java.util.UUID.randomUUID().toString()));

        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.json().get("error").asText()).isEqualTo("parent_id would create a cycle");
        assertThat(self.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(server.api.get("/workspaces/" + root).json().get("parent_id").isNull())
                .isTrue();
    }

    @Test
    void aCallToAHibernatedWorkspaceWakesItAndIsAnsweredByTheWokenAgent() throws Exception {
        String id = online("sleeper", null);
        assertThat(server.api.post("/workspaces/" + id + "/hibernate", Map.of()).status())
                .isEqualTo(200);

        CompletableFuture<HttpResponse<String>> call = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + id + "/a2a"))
                                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(message()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        await().until(() -> backend.starts().size() == 2);
        assertThat(server.status(id)).isEqualTo("provisioning");
        assertThat(call).isNotDone();
        assertThat(register(backend, id, "http://127.0.0.1:1").status()).isEqualTo(200);

        HttpResponse<String> r = call.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"ok\":true");
        assertThat(r.headers().firstValue("X-Lifeline-Held-Ms")).isPresent();
    }

    @Test
    void aCallToAHibernatedWorkspaceThatWillNotWaitAnswersWakingAndReallyWakesIt() throws Exception {
        String id = online("sleeper", null);
        assertThat(server.api.post("/workspaces/" + id + "/hibernate", Map.of()).status())
                .isEqualTo(200);
        assertThat(server.status(id)).isEqualTo("hibernated");

        ApiClient.Reply r = server.sendAtOnce(id, "hi");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After"))
                .isEqualTo(r.json().get("retry_after").asText());
        assertThat(r.body()).contains("\"waking\":true");
        await().until(() -> backend.starts().size() == 2);
        assertThat(server.status(id)).isEqualTo("provisioning");
        assertThat(register(backend, id, "http://127.0.0.1:1").status()).isEqualTo(200);
        assertThat(call(id, null, TestServer.ADMIN_TOKEN, message()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theLegacyAgentCardServedByLifelinePointsEveryClientAtTheProxy() {
        String id = online("carded", null);

        ApiClient.Reply card = server.api.get("/workspaces/" + id + "/.well-known/agent-card.json");

        assertThat(card.status()).isEqualTo(200);
        assertThat(card.json().get("url").asText()).isEqualTo(server.url() + "/workspaces/" + id + "/a2a");
    }

    @Test
    void everyCallLeavesAnActivityRowEventsForTheCanvasAndAMetric() throws Exception {
        String id = online("audited", null);
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            server.send(id, "hi");

            await().until(() -> events.types(id).containsAll(java.util.List.of("ACTIVITY_LOGGED", "A2A_RESPONSE")));
            var response = events.all().stream()
                    .filter(e -> e.type().equals("A2A_RESPONSE"))
                    .findFirst()
                    .orElseThrow();
            assertThat(response.payload()
                            .get("response_body")
                            .get("result")
                            .get("ok")
                            .asBoolean())
                    .isTrue();
            assertThat(response.payload().get("method").asText()).isEqualTo("SendMessage");
        }

        await().until(() ->
                server.api.get("/workspaces/" + id + "/activity").json().size() == 1);
        var row = server.api.get("/workspaces/" + id + "/activity").json().get(0);
        assertThat(row.get("activity_type").asText()).isEqualTo("a2a_receive");
        assertThat(row.get("method").asText()).isEqualTo("SendMessage");
        assertThat(row.get("status").asText()).isEqualTo("ok");
        assertThat(row.get("source_id").isNull()).isTrue();
        assertThat(server.api.get("/metrics").body())
                .contains("lifeline_a2a_requests_seconds_count{outcome=\"relayed_2xx\"}");
    }

    @Test
    void anAgentUrlThatOnlyTheAgentVouchesForIsCheckedAgainstBlockedRanges() {
        String id = server.api
                .post("/workspaces", Map.of("name", "remote", "backend", "remote"))
                .json()
                .get("id")
                .asText();

        ApiClient.Reply metadata = register(urlless, id, "http://169.254.169.254/latest");
        ApiClient.Reply loopback = register(urlless, id, "http://127.0.0.1:9");

        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.json().get("error").asText()).contains("169.254.0.0/16");
        assertThat(loopback.status()).isEqualTo(400);
        assertThat(server.status(id)).isEqualTo("provisioning");
    }
}
