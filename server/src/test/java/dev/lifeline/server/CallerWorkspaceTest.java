package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ScriptedProvisioner;
import dev.lifeline.testkit.StubAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent call carries its workspace's id and token; a workspace that is paused, failed or removed
 * calls no one with it, even when a process it left behind still holds the token.
 */
class CallerWorkspaceTest {
    @TempDir
    Path dataDir;

    private final StubAgent agent = StubAgent.start();
    private ScriptedProvisioner scripted;
    private Attempts backend;
    private TestServer server;

    @BeforeEach
    void start() {
        String url = agent.url();
        scripted = new ScriptedProvisioner("vm", spec -> url);
        backend = new Attempts(scripted);
        server = TestServer.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"), backend);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    @Test
    void aPausedWorkspaceCannotCallItsSibling() throws Exception {
        String caller = online("caller");
        String target = online("target");
        String token = tokenOf(caller);
        assertThat(server.api.post("/workspaces/" + caller + "/pause", Map.of()).status())
                .isEqualTo(200);

        HttpResponse<String> r = call(target, caller, token);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"error\":\"caller workspace is paused\"");
        assertThat(agent.received()).hasSize(0);
    }

    @Test
    void aFailedWorkspaceCannotCallItsSiblingWithTheTokenOfItsFailedGeneration() throws Exception {
        String caller = online("caller");
        String target = online("target");
        scripted.failStarts(true);
        assertThat(server.api
                        .post("/workspaces/" + caller + "/restart", Map.of())
                        .status())
                .isLessThan(300);
        await().until(() -> server.status(caller).equals("failed"));

        HttpResponse<String> r = call(target, caller, tokenOf(caller));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"error\":\"caller workspace is failed\"");
        assertThat(agent.received()).hasSize(0);
    }

    @Test
    void aRemovedWorkspacesTokenNoLongerAuthenticatesAnyCall() throws Exception {
        String caller = online("caller");
        String target = online("target");
        String token = tokenOf(caller);
        assertThat(server.api.delete("/workspaces/" + caller).status()).isLessThan(300);

        HttpResponse<String> r = call(target, caller, token);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(agent.received()).hasSize(0);
    }

    @Test
    void aRunningWorkspaceStillCallsItsSibling() throws Exception {
        String caller = online("caller");
        String target = online("target");

        assertThat(call(target, caller, tokenOf(caller)).statusCode()).isEqualTo(200);
        assertThat(agent.received()).hasSize(1);
    }

    private String online(String name) {
        String id = server.create(name, "echo", "vm");
        await().until(() ->
                server.api.get("/workspaces/" + id).json().get("instance_ref").isTextual());
        ApiClient.Reply r = new ApiClient(server.url(), tokenOf(id))
                .post(
                        "/registry/register",
                        Map.of("id", id, "url", "http://127.0.0.1:1", "agent_card", Map.of("name", name)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return id;
    }

    /** The token Lifeline handed the last generation it tried to start, whether or not it started. */
    private String tokenOf(String id) {
        WorkspaceId workspace = WorkspaceId.parse(id);
        return backend.asked.stream()
                .filter(s -> s.id().equals(workspace))
                .reduce((first, second) -> second)
                .orElseThrow()
                .env()
                .get("WORKSPACE_AUTH_TOKEN");
    }

    private HttpResponse<String> call(String target, String callerId, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/workspaces/" + target + "/a2a"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(DemoCommand.message("hi"))))
                .header("Authorization", "Bearer " + token)
                .header("X-Workspace-ID", callerId)
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The scripted backend, keeping every spec it was asked to start, also those whose start failed. */
    private static final class Attempts implements Provisioner {
        private final ScriptedProvisioner delegate;
        final List<StartSpec> asked = new CopyOnWriteArrayList<>();

        Attempts(ScriptedProvisioner delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Instance start(StartSpec spec) {
            asked.add(spec);
            return delegate.start(spec);
        }

        @Override
        public void stop(WorkspaceId id, InstanceRef ref) {
            delegate.stop(id, ref);
        }

        @Override
        public Liveness probe(WorkspaceId id, InstanceRef ref) {
            return delegate.probe(id, ref);
        }

        @Override
        public List<OwnedInstance> listOwned() {
            return delegate.listOwned();
        }
    }
}
