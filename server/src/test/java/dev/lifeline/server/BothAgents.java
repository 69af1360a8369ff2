package dev.lifeline.server;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One Lifeline running two real A2A agents, both online: Lifeline's reference agent and, where
 * node and the JavaScript SDK are installed ({@link NodeInterop}), the agent built on that SDK's
 * server ({@code interop/agent.mjs}). A test asks for an agent by name; the SDK's agent is skipped
 * where it cannot run.
 */
final class BothAgents implements AutoCloseable {
    static final String REFERENCE = "reference";
    static final String JS_SDK = "js-sdk";
    private static final Duration BOOT = Duration.ofSeconds(30);

    final TestServer server;
    private final Map<String, String> ids = new LinkedHashMap<>();

    private BothAgents(TestServer server) {
        this.server = server;
    }

    /** The names of both agents, for parameterised tests. */
    static Stream<String> names() {
        return Stream.of(REFERENCE, JS_SDK);
    }

    /** Starts Lifeline with {@code overrides} and brings both agents online. */
    static BothAgents start(Path dataDir, Map<String, String> overrides) {
        Optional<NodeInterop> node = NodeInterop.find();
        Map<String, String> env = new HashMap<>(overrides);
        node.ifPresent(parts -> env.put("LIFELINE_RUNTIME_NODE", parts.agentRuntime()));
        BothAgents agents = new BothAgents(TestServer.start(dataDir, env));
        agents.ids.put(REFERENCE, agents.server.create("reference-agent", "echo", "process"));
        if (node.isPresent()) {
            agents.ids.put(JS_SDK, agents.server.create("js-sdk-agent", "node", "process"));
        }
        await().atMost(BOOT).until(() -> agents.ids.values().stream()
                .allMatch(id -> agents.server.status(id).equals("online")));
        return agents;
    }

    /** The workspace of {@code agent}; a test of the SDK's agent is skipped where it cannot run. */
    String id(String agent) {
        if (agent.equals(JS_SDK) && !ids.containsKey(JS_SDK)) {
            NodeInterop.require(); // skips with the reason, or fails under CI
        }
        String id = ids.get(agent);
        Assumptions.assumeTrue(id != null, "no agent named " + agent);
        return id;
    }

    /** Where the agent itself listens, as it registered. */
    String direct(String agent) {
        return server.api.get("/workspaces/" + id(agent)).json().get("url").asText();
    }

    /** Lifeline's address for the agent's calls. */
    String throughLifeline(String agent) {
        return server.url() + "/workspaces/" + id(agent) + "/a2a";
    }

    /** Lifeline's address of the agent's card. */
    String cardThroughLifeline(String agent) {
        return server.url() + "/workspaces/" + id(agent) + "/.well-known/agent-card.json";
    }

    /** Removes the workspaces, which stops their agents, then stops Lifeline. */
    @Override
    public void close() {
        ids.values().forEach(id -> server.api.delete("/workspaces/" + id));
        server.close();
    }
}
