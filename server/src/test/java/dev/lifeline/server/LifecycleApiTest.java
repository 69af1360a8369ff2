package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause, resume and delete over HTTP cascade through a tree of real agent processes. */
class LifecycleApiTest {
    private static final Duration BOOT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private TestServer server;
    private String parent;
    private String first;
    private String second;

    @BeforeEach
    void startATreeOfAgents() {
        server = TestServer.start(dataDir);
        parent = create("parent", null);
        first = create("first", parent);
        second = create("second", parent);
        await().atMost(BOOT).until(() -> all().allMatch(id -> server.status(id).equals("online")));
    }

    @AfterEach
    void stopServer() {
        for (JsonNode w : server.api.get("/workspaces").json()) {
            server.api.delete("/workspaces/" + w.get("id").asText() + "?confirm=true");
        }
        server.close();
    }

    private String create(String name, String parentId) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "runtime", "echo", "backend", "process"));
        if (parentId != null) {
            body.put("parent_id", parentId);
        }
        ApiClient.Reply r = server.api.post("/workspaces", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private java.util.stream.Stream<String> all() {
        return java.util.stream.Stream.of(parent, first, second);
    }

    private List<Long> pids() {
        return all().map(id -> DemoCommand.pid(server.api
                        .get("/workspaces/" + id)
                        .json()
                        .get("instance_ref")
                        .asText()))
                .toList();
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty();
    }

    @Test
    void pauseStopsTheWholeTreeAndResumeBringsItBackAsTheNextGeneration() {
        List<Long> pids = pids();

        ApiClient.Reply paused = server.api.post("/workspaces/" + parent + "/pause", Map.of());

        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().get("status").asText()).isEqualTo("paused");
        assertThat(paused.json().get("paused_count").asInt()).isEqualTo(3);
        await().until(() -> pids.stream().allMatch(LifecycleApiTest::gone));
        assertThat(all()).allSatisfy(id -> assertThat(server.status(id)).isEqualTo("paused"));

        ApiClient.Reply resumed = server.api.post("/workspaces/" + parent + "/resume", Map.of());

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("status").asText()).isEqualTo("provisioning");
        assertThat(resumed.json().get("resumed_count").asInt()).isEqualTo(3);
        await().atMost(BOOT).until(() -> all().allMatch(id -> server.status(id).equals("online")));
        assertThat(all()).allSatisfy(id -> assertThat(server.generation(id)).isEqualTo(2));
        assertThat(server.send(first, "back?").body()).contains("echo: back?");
    }

    @Test
    void aChildCannotBeResumedWhileItsParentIsPaused() {
        server.api.post("/workspaces/" + parent + "/pause", Map.of());

        ApiClient.Reply child = server.api.post("/workspaces/" + first + "/resume", Map.of());
        ApiClient.Reply again = server.api.post("/workspaces/" + parent + "/pause", Map.of());

        assertThat(child.status()).isEqualTo(409);
        assertThat(child.json().get("error").asText())
                .isEqualTo("parent workspace \"parent\" is paused — resume it first");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asText()).isEqualTo("workspace not found or already paused");
    }

    @Test
    void deletingAParentAsksForConfirmationThenRemovesAndStopsTheWholeTree() {
        List<Long> pids = pids();

        ApiClient.Reply unconfirmed = server.api.delete("/workspaces/" + parent);

        assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(409);
        assertThat(unconfirmed.json().get("status").asText()).isEqualTo("confirmation_required");
        assertThat(unconfirmed.json().get("message").asText()).isNotBlank();
        assertThat(unconfirmed.json().get("children_count").asInt()).isEqualTo(2);
        assertThat(unconfirmed.json().get("children"))
                .extracting(c -> c.get("id").asText() + "/" + c.get("name").asText())
                .containsExactlyInAnyOrder(first + "/first", second + "/second");
        assertThat(all()).allSatisfy(id -> assertThat(server.status(id)).isEqualTo("online"));

        ApiClient.Reply confirmed = server.api.delete("/workspaces/" + parent + "?confirm=true");

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().get("status").asText()).isEqualTo("removed");
        assertThat(confirmed.json().get("cascade_deleted").asInt()).isEqualTo(2);
        // stop() returns once the process is dead; the kernel reaps it a moment later.
        await().until(() -> pids.stream().allMatch(LifecycleApiTest::gone));
        assertThat(all())
                .allSatisfy(id ->
                        assertThat(server.api.get("/workspaces/" + id).status()).isEqualTo(404));
    }
}
