package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the official A2A JavaScript SDK ({@code @a2a-js/sdk}, installed into {@code interop/}
 * by {@code npm ci}): its client reaches agents through Lifeline, and an agent built on its server is
 * run, reached and healed by Lifeline. Skipped with the reason when node or the SDK is missing, except
 * under {@code CI=true}, where that is a failure ({@link NodeInterop}).
 */
class InteropTest {
    private static final Duration BOOT = Duration.ofSeconds(30);
    private static final Duration CLIENT_RUN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    private TestServer server;
    private NodeInterop parts;

    @BeforeEach
    void findNodeAndTheSdk() {
        parts = NodeInterop.require();
    }

    @AfterEach
    void stopServer() {
        if (server == null) {
            return;
        }
        for (var w : server.api.get("/workspaces").json()) {
            server.api.delete("/workspaces/" + w.get("id").asText());
        }
        server.close();
    }

    @Test
    void theSdkClientSendsAndStreamsThroughLifelineToTheReferenceAgent() {
        server = TestServer.start(dataDir);
        String id = server.create("js-client", "echo", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));

        SdkRun run = sdkClient(id, "hello from javascript");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertReachedOnlyThroughLifeline(run, id);
        assertThat(run.field("send").asText()).as(run.describe()).isEqualTo("echo: hello from javascript");
        assertThat(run.field("stream_events").asInt()).as(run.describe()).isGreaterThanOrEqualTo(2);
        assertThat(run.field("final_state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(run.field("final").asText()).isEqualTo("echo: hello from javascript");
    }

    @Test
    void anAgentBuiltOnTheSdkServerIsReachedThroughLifelineAndComesBackAfterSigkill() throws Exception {
        server = TestServer.start(dataDir, Map.of("LIFELINE_RUNTIME_NODE", parts.agentRuntime()));
        String id = server.create("js-agent", "node", "process");
        await().atMost(BOOT).until(() -> server.status(id).equals("online"));

        SdkRun before = sdkClient(id, "before the crash");

        assertThat(before.exitCode()).as(before.describe() + console(id)).isZero();
        assertReachedOnlyThroughLifeline(before, id);
        assertThat(before.field("card").asText()).isEqualTo("lifeline-sdk-echo");
        assertThat(before.field("send").asText()).isEqualTo("echo: before the crash");
        assertThat(before.field("kinds"))
                .extracting(JsonNode::asText)
                .containsExactly("task", "artifactUpdate", "statusUpdate");

        long pid = agentPid(id);
        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().get(10, TimeUnit.SECONDS);
        await().atMost(BOOT)
                .until(() -> server.generation(id) >= 2 && server.status(id).equals("online"));

        SdkRun after = sdkClient(id, "after the crash");

        assertThat(after.exitCode()).as(after.describe() + console(id)).isZero();
        assertThat(after.field("send").asText()).isEqualTo("echo: after the crash");
        assertThat(after.field("final").asText()).isEqualTo("echo: after the crash");
        assertThat(server.generation(id)).isEqualTo(2);
        assertThat(agentPid(id)).isNotEqualTo(pid);
    }

    /** The card Lifeline served named only its proxy, and every request the SDK made went there. */
    private void assertReachedOnlyThroughLifeline(SdkRun run, String id) {
        String proxy = server.url() + "/workspaces/" + id + "/a2a";
        assertThat(run.field("interfaces")).extracting(JsonNode::asText).containsOnly(proxy);
        assertThat(run.field("requests"))
                .extracting(JsonNode::asText)
                .hasSize(3)
                .allMatch(url -> url.startsWith(server.url() + "/workspaces/" + id + "/"));
    }

    private SdkRun sdkClient(String workspaceId, String text) {
        String run = "client-" + System.nanoTime();
        Path out = scratch.resolve(run + ".out");
        Path err = scratch.resolve(run + ".err");
        ProcessBuilder builder = new ProcessBuilder(
                        parts.node().toString(), parts.client().toString(), server.url(), workspaceId, text)
                .directory(parts.interop().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("LIFELINE_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        try {
            Process client = builder.start();
            if (!client.waitFor(CLIENT_RUN.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
                fail("the SDK client did not finish within " + CLIENT_RUN + "; stderr: " + Files.readString(err));
            }
            return SdkRun.parse(
                    client.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the SDK client ran", e);
        }
    }

    /** The agent's process id, from the workspace's {@code instance_ref} ("pid@start-millis"). */
    private long agentPid(String id) {
        return DemoCommand.pid(
                server.api.get("/workspaces/" + id).json().get("instance_ref").asText());
    }

    private String console(String id) {
        return "\nagent console:\n"
                + server.api.get("/workspaces/" + id + "/console").body();
    }

    /** What {@code interop/client.mjs} printed: one JSON object per line, and its exit code. */
    private record SdkRun(int exitCode, List<JsonNode> lines, String stderr) {
        static SdkRun parse(int exitCode, List<String> stdout, String stderr) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("the SDK client printed a line that is not JSON: " + line, e);
                }
            }
            return new SdkRun(exitCode, List.copyOf(lines), stderr);
        }

        JsonNode field(String name) {
            return lines.stream()
                    .filter(l -> l.has(name))
                    .map(l -> l.get(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the SDK client printed no \"" + name + "\": " + describe()));
        }

        String describe() {
            return "SDK client exited " + exitCode + "; stdout: " + lines + "; stderr: " + stderr;
        }
    }
}
