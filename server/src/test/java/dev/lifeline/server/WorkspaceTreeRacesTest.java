package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace tree through the HTTP API under concurrent writes: two reparentings that would
 * close a loop, and a child created while its parent is being deleted, each tried many times. The
 * workspaces are external, so no agent runs and a trial costs a few requests.
 */
class WorkspaceTreeRacesTest {
    private static final int TRIALS = 50;

    @TempDir
    Path dataDir;

    private TestServer server;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        server.close();
    }

    @Test
    void twoConcurrentReparentingsNeverCloseALoop() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            String x = external("x-" + trial, null);
            String y = external("y-" + trial, null);

            List<ApiClient.Reply> replies = together(
                    () -> server.api.patch("/workspaces/" + x, Map.of("parent_id", y)),
                    () -> server.api.patch("/workspaces/" + y, Map.of("parent_id", x)));

            assertThat(replies).extracting(ApiClient.Reply::status).containsExactlyInAnyOrder(200, 400);
            ApiClient.Reply loser =
                    replies.stream().filter(r -> r.status() == 400).findFirst().orElseThrow();
            assertThat(loser.json().get("error").asText()).isEqualTo("parent_id would create a cycle");
            assertThat(parentOf(x).equals(y) && parentOf(y).equals(x))
                    .as("trial %d: %s and %s are each other's parent", trial, x, y)
                    .isFalse();
        }
    }

    @Test
    void aChildCreatedWhileItsParentIsDeletedIsNeverLeftUnderTheRemovedParent() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            String parent = external("parent-" + trial, null);
            String child = "child-" + trial;

            List<ApiClient.Reply> replies = together(
                    () -> server.api.post("/workspaces", Map.of("name", child, "external", true, "parent_id", parent)),
                    () -> server.api.delete("/workspaces/" + parent + "?confirm=true"));

            ApiClient.Reply created = replies.get(0);
            ApiClient.Reply deleted = replies.get(1);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(server.api.get("/workspaces/" + parent).status()).isEqualTo(404);
            if (created.status() == 201) {
                String childId = created.json().get("id").asText();
                assertThat(server.api.get("/workspaces/" + childId).status())
                        .as("trial %d: child %s created under %s, which was then deleted", trial, childId, parent)
                        .isEqualTo(404);
                assertThat(deleted.json().get("cascade_deleted").asInt()).isEqualTo(1);
            } else {
                assertThat(created.status()).as(created.body()).isEqualTo(400);
                assertThat(created.json().get("error").asText()).isEqualTo("parent workspace is removed");
            }
        }
        assertThat(server.api.get("/workspaces").json()).isEmpty();
    }

    private String external(String name, String parent) {
        Map<String, Object> body = parent == null
                ? Map.of("name", name, "external", true)
                : Map.of("name", name, "external", true, "parent_id", parent);
        ApiClient.Reply r = server.api.post("/workspaces", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String parentOf(String id) {
        JsonNode parent = server.api.get("/workspaces/" + id).json().get("parent_id");
        return parent == null || parent.isNull() ? "" : parent.asText();
    }

    /** Sends both requests at the same instant and returns their replies in the order given. */
    private List<ApiClient.Reply> together(Supplier<ApiClient.Reply> first, Supplier<ApiClient.Reply> second)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<ApiClient.Reply> a = callers.submit(() -> {
            start.await();
            return first.get();
        });
        Future<ApiClient.Reply> b = callers.submit(() -> {
            start.await();
            return second.get();
        });
        return List.of(a.get(), b.get());
    }
}
