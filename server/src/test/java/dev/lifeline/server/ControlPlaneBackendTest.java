package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.testkit.controlplane.Failure;
import dev.lifeline.testkit.controlplane.FakeControlPlane;
import dev.lifeline.testkit.controlplane.FakeControlPlane.Route;
import dev.lifeline.testkit.controlplane.LocalAgentMachines;
import dev.lifeline.testkit.controlplane.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspaces on the control-plane backend, end to end: a real server configured with the reference's
 * variable names, an in-process control plane whose "VMs" are reference agents behind a gateway that
 * answers an opaque 502 once its agent is gone, and the agents registering, heartbeating and dying.
 */
class ControlPlaneBackendTest {
    private static final Duration BOOT = Duration.ofSeconds(30);
    private static final String SHARED = "shared-s3cret";
    private static final String TENANT = "tenant-t0ken";
    private static final String ADMIN_KEY = "admin-k3y";

    @TempDir
    Path dataDir;

    private FakeControlPlane controlPlane;
    private TestServer server;

    /**
     * The gateway listens on 127.0.0.1 and its agent on 127.0.0.2, which Linux routes to loopback and
     * some systems do not: there the test is skipped with the reason, except under {@code CI=true}.
     */
    @BeforeAll
    static void requireASecondLoopbackAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            assertThat(socket.isBound()).isTrue();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            String reason = "cannot bind 127.0.0.2 (" + e + "), skipping the control-plane end-to-end tests";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
    }

    @BeforeEach
    void startControlPlane() {
        controlPlane =
                FakeControlPlane.start(new LocalAgentMachines(Runtimes.referenceAgent(), dataDir.resolve("vms"), true));
        controlPlane.requireHeaders(
                Map.of("Authorization", "Bearer " + SHARED, "X-Molecule-Admin-Token", TENANT),
                Map.of("Authorization", "Bearer " + ADMIN_KEY, "X-Molecule-Admin-Token", TENANT));
    }

    @AfterEach
    void stopEverything() {
        if (server != null) {
            server.close();
        }
        controlPlane.close();
    }

    /** A server whose default backend is the control plane; the sweep is off unless overridden. */
    private void startServer(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "LIFELINE_BACKEND",
                "controlplane",
                "CP_PROVISION_URL",
                controlPlane.url(),
                "MOLECULE_ORG_ID",
                "org-1",
                "MOLECULE_CP_SHARED_SECRET",
                SHARED,
                "ADMIN_TOKEN",
                TENANT,
                "CP_ADMIN_API_TOKEN",
                ADMIN_KEY,
                "LIFELINE_AGENT_URLS_ALLOW_LOOPBACK",
                "true",
                "LIFELINE_SWEEP_INTERVAL_SECONDS",
                "3600"));
        env.putAll(overrides);
        server = TestServer.start(dataDir.resolve("server"), env);
    }

    private String onlineWorkspace(String name) {
        String id = server.create(name, "echo", "controlplane");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));
        return id;
    }

    private String field(String id, String name) {
        return server.api.get("/workspaces/" + id).json().get(name).asText();
    }

    private List<RecordedRequest> calls(Route route, String workspaceId) {
        return controlPlane.requests(route).stream()
                .filter(r -> r.path().contains(workspaceId))
                .toList();
    }

    @Test
    void aVmTerminatedBehindAGatewayAnswers503RestartingAndIsReplaced() throws Exception {
        startServer(Map.of());
        String id = onlineWorkspace("vm-1");
        String first = field(id, "instance_ref");
        String gateway = field(id, "url");
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            controlPlane.terminateBehindTheBack(first);
            assertThat(get(gateway).statusCode()).isEqualTo(502);

            ApiClient.Reply reply = server.send(id, "are you there?");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).isEqualTo("15");
            assertThat(reply.json().get("restarting").asBoolean()).isTrue();
            await().atMost(BOOT)
                    .until(() -> server.generation(id) == 2 && server.status(id).equals("online"));
            await().until(() -> events.lifecycle(id).contains("WORKSPACE_ONLINE"));
            assertThat(events.lifecycle(id))
                    .containsSubsequence("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE");
        }
        assertThat(controlPlane.instancesOf(id)).hasSize(2).first().isEqualTo(first);
        assertThat(field(id, "instance_ref"))
                .isEqualTo(controlPlane.instancesOf(id).getLast());
        assertThat(calls(Route.TERMINATE, id)).singleElement().satisfies(delete -> assertThat(
                        delete.queryParameter("instance_id"))
                .contains(first));
        assertThat(server.send(id, "welcome back").body()).contains("echo: welcome back");
        assertThat(controlPlane.requests())
                .noneSatisfy(r -> assertThat(r.queryParameter("instance_id")).isEqualTo(Optional.of(id)));
    }

    @Test
    void anAgentAnswering502OnARunningVmGetsIts502PropagatedAndNoRestart() throws Exception {
        startServer(Map.of());
        String id = onlineWorkspace("flaky-vm");
        String ref = field(id, "instance_ref");
        try (EventRecorder events = EventRecorder.webSocket(server)) {
            ApiClient.Reply reply = server.send(id, "!status 502");

            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.body()).doesNotContain("restarting");
            assertThat(calls(Route.STATUS, id)).isNotEmpty().allSatisfy(status -> assertThat(
                            status.queryParameter("instance_id"))
                    .contains(ref));
            assertThat(server.send(id, "still there?").body()).contains("echo: still there?");
            // One 502 in two calls may make the next heartbeat report degraded; it is never recycled.
            assertThat(server.status(id)).isIn("online", "degraded");
            assertThat(server.generation(id)).isEqualTo(1);
            assertThat(events.lifecycle(id)).doesNotContain("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING");
        }
        assertThat(controlPlane.provisions()).hasSize(1);
        assertThat(calls(Route.TERMINATE, id)).isEmpty();
    }

    @Test
    void aRestartedVmGetsAFreshTokenAndTheOldOneIsRejected() {
        startServer(Map.of());
        String id = onlineWorkspace("rotating");
        String first = field(id, "instance_ref");
        String oldToken = controlPlane.provisions().getFirst().env().get("WORKSPACE_AUTH_TOKEN");

        assertThat(server.api.post("/workspaces/" + id + "/restart", Map.of()).status())
                .isEqualTo(200);

        await().atMost(BOOT)
                .until(() -> server.generation(id) == 2 && server.status(id).equals("online"));
        String newToken = controlPlane.provisions().getLast().env().get("WORKSPACE_AUTH_TOKEN");
        assertThat(newToken).isNotBlank().isNotEqualTo(oldToken);
        ApiClient oldAgent = new ApiClient(server.url(), oldToken);
        assertThat(oldAgent.post("/registry/heartbeat", Map.of("workspace_id", id))
                        .status())
                .isEqualTo(401);
        assertThat(oldAgent.post(
                                "/registry/register",
                                Map.of("id", id, "url", field(id, "url"), "agent_card", Map.of("name", "stale")))
                        .status())
                .isEqualTo(401);
        ApiClient newAgent = new ApiClient(server.url(), newToken);
        assertThat(newAgent.post("/registry/heartbeat", Map.of("workspace_id", id))
                        .status())
                .isEqualTo(200);
        assertThat(calls(Route.TERMINATE, id)).singleElement().satisfies(delete -> assertThat(
                        delete.queryParameter("instance_id"))
                .contains(first));
    }

    @Test
    void aVmTerminatedWithoutAnyTrafficIsFoundByTheSweepAndReplaced() {
        startServer(Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "1"));
        String id = onlineWorkspace("quiet-vm");
        String first = field(id, "instance_ref");

        controlPlane.terminateBehindTheBack(first);

        await().atMost(BOOT)
                .until(() -> server.generation(id) == 2 && server.status(id).equals("online"));
        assertThat(calls(Route.TERMINATE, id)).singleElement().satisfies(delete -> assertThat(
                        delete.queryParameter("instance_id"))
                .contains(first));
    }

    @Test
    void aVmStillBootingIsNotMistakenForADeadOne() {
        controlPlane.holdPending(true);
        startServer(Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "1"));
        String id = onlineWorkspace("slow-boot");

        await().atMost(BOOT).until(() -> calls(Route.STATUS, id).size() >= 3);

        assertThat(controlPlane.state(field(id, "instance_ref"))).contains("pending");
        assertThat(server.status(id)).isEqualTo("online");
        assertThat(server.generation(id)).isEqualTo(1);
        assertThat(controlPlane.provisions()).hasSize(1);
    }

    @Test
    void aWorkspaceWithoutARecordedInstanceCostsTheControlPlaneNoStatusCall() {
        controlPlane.fail(Route.PROVISION, Failure.HANG);
        startServer(Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "1", "LIFELINE_CP_PROVISION_TIMEOUT_SECONDS", "3"));

        String id = server.create("never-booted", "echo", "controlplane");

        await().atMost(BOOT).until(() -> server.status(id).equals("failed"));
        assertThat(field(id, "failure_reason"))
                .startsWith("workspace start failed")
                .contains("provision");
        assertThat(controlPlane.requests(Route.STATUS)).isEmpty();
    }

    @Test
    void theConsoleComesFromTheControlPlanesAdminRouteWithoutTheToken() {
        startServer(Map.of());
        String id = onlineWorkspace("talkative");
        String token = controlPlane.provisions().getFirst().env().get("WORKSPACE_AUTH_TOKEN");

        ApiClient.Reply console = server.api.get("/workspaces/" + id + "/console");

        assertThat(console.status()).isEqualTo(200);
        assertThat(console.json().get("output").asText())
                .contains("started name=echo")
                .doesNotContain(token);
        assertThat(calls(Route.CONSOLE, id)).hasSize(1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
