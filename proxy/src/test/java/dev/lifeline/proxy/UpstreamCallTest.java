package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.StubAgent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the agent and when the proxy stops waiting for it: headers passed through, the
 * response-header bound, a workspace's own idle window, and targets that take no call at all.
 */
class UpstreamCallTest {
    private static final byte[] SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);

    private final JdbcStore store = Stores.inMemoryH2("upstream" + System.nanoTime());
    private final CountDownLatch agentMayAnswer = new CountDownLatch(1);
    private volatile boolean agentHolds;
    private final StubAgent agent = StubAgent.start().answering(this::answer);

    private StubAgent.Answer answer(StubAgent.Received request) {
        if (agentHolds) {
            try {
                agentMayAnswer.await(); // a busy agent: no headers until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return StubAgent.Answer.json(200, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}");
    }

    @AfterEach
    void stop() {
        agentMayAnswer.countDown();
        agent.close();
        store.close();
    }

    @Test
    void theCallersProtocolAndContentHeadersReachTheAgentAsSent() {
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);
            Map<String, String> headers = Map.of(
                    "A2A-Version", "0.3", "Accept", "application/json", "Content-Type", "text/plain; charset=utf-8");

            ProxyReply reply = proxy.forward(id, SEND, headers, CallOptions.from(null, 0));

            assertThat(reply).isInstanceOf(ProxyReply.Relayed.class);
            StubAgent.Received received = agent.received().getFirst();
            headers.forEach((name, value) -> assertThat(received.header(name)).hasValue(value));
        }
    }

    @Test
    void aJsonRpcRequestReachesTheAgentByteForByteWithoutAContentTypeOfLifelines() {
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);
            byte[] noMessageId =
                    "{ \"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"SendMessage\", \"params\": {\"message\": {}} }"
                            .getBytes(StandardCharsets.UTF_8);

            proxy.forward(id, noMessageId, Map.of(), CallOptions.from(null, 0));

            StubAgent.Received received = agent.received().getFirst();
            assertThat(received.body()).isEqualTo(noMessageId);
            assertThat(received.header("Content-Type")).isEmpty();
        }
    }

    @Test
    void theCanvasShapeIsWrappedAndSentAsJson() {
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);
            byte[] canvas = "{\"method\":\"SendMessage\",\"params\":{\"message\":{}}}".getBytes(StandardCharsets.UTF_8);

            proxy.forward(id, canvas, Map.of(), CallOptions.from(null, 0));

            StubAgent.Received received = agent.received().getFirst();
            assertThat(received.header("Content-Type")).hasValue("application/json");
            assertThat(received.text()).contains("\"jsonrpc\":\"2.0\"", "\"messageId\"");
        }
    }

    @Test
    void theAgentsContentCachingAndProtocolHeadersComeBackAndItsCookiesDoNot() {
        Map<String, String> passed = Map.of(
                "Content-Type", "application/json; charset=utf-8",
                "Cache-Control", "no-store",
                "ETag", "\"v1\"",
                "Vary", "A2A-Version",
                "Retry-After", "5",
                "A2A-Version", "1.0");
        Map<String, String> kept = Map.of("Set-Cookie", "agent=1", "WWW-Authenticate", "Bearer", "X-Agent", "yes");
        Map<String, String> sent = new HashMap<>(passed);
        sent.putAll(kept);
        agent.answering(r -> new StubAgent.Answer(503, sent, "{}".getBytes(StandardCharsets.UTF_8)));
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);

            ProxyReply reply = proxy.forward(id, SEND, Map.of(), CallOptions.from(null, 0));

            assertThat(reply).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headers()).containsExactlyInAnyOrderEntriesOf(passed);
            });
        }
    }

    @Test
    void anAgentThatSendsNoHeadersWithinTheHeaderBoundIsBusyNotDead() {
        agentHolds = true;
        ProxyConfig config = new ProxyConfig(
                Duration.ofSeconds(10),
                Duration.ofMillis(300),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                Duration.ofSeconds(15),
                Duration.ofMillis(250),
                1 << 20,
                10 << 20);
        try (A2aProxy proxy = proxy(config)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);

            ProxyReply reply = proxy.forward(id, SEND, Map.of(), CallOptions.from(null, 0));

            assertBusy(reply);
        }
    }

    @Test
    void theIdleWindowAnAgentAnnouncedCutsOffItsCallBeforeTheDefault() {
        agentHolds = true;
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) { // default idle window: 5 minutes
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);
            proxy.idleOverrides().set(id, Duration.ofMillis(300));

            ProxyReply reply = proxy.forward(id, SEND, Map.of(), CallOptions.from(null, 0));

            assertBusy(reply);
        }
    }

    @Test
    void aPausedWorkspaceIsRefusedWith409AndItsAgentIsNeverCalled() {
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.PAUSED);

            ProxyReply reply = proxy.forward(id, SEND, Map.of(), CallOptions.from(null, 0));

            assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
                assertThat(r.status()).isEqualTo(409);
                assertThat(r.body()).containsEntry("error", "workspace is paused; resume it first");
            });
            assertThat(agent.received()).isEmpty();
        }
    }

    private static void assertBusy(ProxyReply reply) {
        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("busy", true);
            assertThat(r.headers()).containsEntry("Retry-After", "30");
        });
    }

    private WorkspaceId workspace(WorkspaceStatus status) {
        WorkspaceId id = WorkspaceId.random();
        String url = agent.url();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", status, url, null, null),
                new WorkspaceEvent.Online(id, url, null, null),
                Instant.now());
        return id;
    }

    private A2aProxy proxy(ProxyConfig config) {
        EventBus silent = new EventBus() {
            @Override
            public void publish(PublishedEvent event) {}

            @Override
            public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
                return () -> {};
            }
        };
        return new A2aProxy(
                store, (w, e) -> Verdict.ALIVE, id -> {}, silent, config, ProxyMetrics.NONE, Clock.systemUTC());
    }
}
