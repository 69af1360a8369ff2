package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls that wait at the HTTP edge for a workspace that is being started: the caller who hangs up,
 * the connection the call came on, the caller's {@code Prefer: wait} and the waiting limit per
 * workspace (here 1).
 */
class WaitingAtTheEdgeTest {
    @TempDir
    Path dataDir;

    private final AtomicInteger agentCalls = new AtomicInteger();
    private HttpServer agent;
    private ScriptedProvisioner backend;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            agentCalls.incrementAndGet();
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        String agentUrl = "http://127.0.0.1:" + agent.getAddress().getPort();
        backend = new ScriptedProvisioner("vm", spec -> agentUrl);
        server = TestServer.start(
                dataDir,
                Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600", "LIFELINE_A2A_HOLD_PER_WORKSPACE", "1"),
                backend);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.stop(0);
    }

    @Test
    void aCallerThatHangsUpWhileItsCallWaitsIsForgottenAndTheCallNeverReachesTheAgent() {
        String id = starting();
        try (RawHttp caller = RawHttp.connect(server.url())) {
            caller.write(call(id));
            await().until(() -> metrics().contains("lifeline_a2a_holds_total{cause=\"restarting\"} 1.0"));
        }
        await().until(() -> metrics().contains("lifeline_a2a_hold_wait_seconds_count{result=\"caller_gone\"} 1"));

        register(id);

        assertThat(server.send(id, "after").status()).isEqualTo(200);
        assertThat(agentCalls).hasValue(1);
    }

    @Test
    void theConnectionOfACallThatWaitedGoesOnToCarryTheNextCall() {
        String id = starting();
        try (RawHttp caller = RawHttp.connect(server.url())) {
            caller.write(call(id));
            await().until(() -> metrics().contains("lifeline_a2a_holds_total{cause=\"restarting\"} 1.0"));
            register(id);
            RawHttp.Answer first = caller.read();

            caller.write(call(id));
            RawHttp.Answer second = caller.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("X-Lifeline-Held-Ms")).isPresent();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.header("X-Lifeline-Held-Ms")).isEmpty();
        }
        assertThat(agentCalls).hasValue(2);
    }

    @Test
    void aCallerThatPrefersToWaitOneSecondGets503RestartingAfterIt() {
        String id = starting();

        long began = System.nanoTime();
        ApiClient.Reply reply = server.send(id, "hi", Map.of("Prefer", "wait=1"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().get("restarting").asBoolean()).isTrue();
        assertThat(reply.header("Retry-After"))
                .isEqualTo(reply.json().get("retry_after").asText());
        // The preference counts from the call's arrival; the header, the wait alone, a little less.
        assertThat(Long.parseLong(reply.header("X-Lifeline-Held-Ms")))
                .isPositive()
                .isLessThanOrEqualTo(tookMs);
        assertThat(metrics()).contains("lifeline_a2a_hold_wait_seconds_count{result=\"preference\"} 1");
        assertThat(agentCalls).hasValue(0);
    }

    @Test
    void aCallPastTheWorkspacesWaitingLimitIs503AtOnceWhileTheWaitingOneArrives() throws Exception {
        String id = starting();
        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(() -> server.send(id, "first"));
        await().until(() -> metrics().contains("lifeline_a2a_holds_total{cause=\"restarting\"} 1.0"));

        ApiClient.Reply refused = server.send(id, "second");
        register(id);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("restarting").asBoolean()).isTrue();
        assertThat(refused.header("Retry-After")).isNotEmpty();
        assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(metrics()).contains("lifeline_a2a_hold_wait_seconds_count{result=\"capacity\"} 1");
        assertThat(agentCalls).hasValue(1);
    }

    /** A workspace whose instance was started and whose agent has not registered yet. */
    private String starting() {
        String id = server.create("vm-agent", "echo", "vm");
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        assertThat(server.status(id)).isEqualTo("provisioning");
        return id;
    }

    private void register(String id) {
        String token = backend.lastStart(WorkspaceId.parse(id)).env().get("WORKSPACE_AUTH_TOKEN");
        ApiClient.Reply r = new ApiClient(server.url(), token)
                .post(
                        "/registry/register",
                        Map.of("id", id, "url", "http://127.0.0.1:1", "agent_card", Map.of("name", "vm")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private String metrics() {
        return server.api.get("/metrics").body();
    }

    private static String call(String id) {
        String body = Json.write(DemoCommand.message("hi"));
        return "POST /workspaces/" + id + "/a2a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TestServer.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
