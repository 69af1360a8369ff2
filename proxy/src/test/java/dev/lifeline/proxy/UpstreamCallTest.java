package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the agent and when the proxy stops waiting for it: headers passed through, the
 * response-header bound, a workspace's own idle window, and targets that take no call at all.
 */
class UpstreamCallTest {
    private static final byte[] SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);

    private final JdbcStore store = Stores.inMemoryH2("upstream" + System.nanoTime());
    private final List<Map<String, String>> seenHeaders = new CopyOnWriteArrayList<>();
    private final CountDownLatch agentMayAnswer = new CountDownLatch(1);
    private volatile boolean agentHolds;
    private HttpServer agent;

    @BeforeEach
    void startAgent() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        agent.createContext("/", exchange -> {
            seenHeaders.add(Map.of(
                    "A2A-Version", String.valueOf(exchange.getRequestHeaders().getFirst("A2A-Version")),
                    "Accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept")),
                    "Content-Type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))));
            if (agentHolds) {
                try {
                    agentMayAnswer.await(); // a busy agent: no headers until the test ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
    }

    @AfterEach
    void stop() {
        agentMayAnswer.countDown();
        agent.stop(0);
        store.close();
    }

    @Test
    void a2aVersionAndAcceptReachTheAgentWithTheJsonContentType() {
        try (A2aProxy proxy = proxy(ProxyConfig.DEFAULTS)) {
            WorkspaceId id = workspace(WorkspaceStatus.ONLINE);

            ProxyReply reply = proxy.forward(
                    id, SEND, Map.of("A2A-Version", "0.3", "Accept", "application/json"), CallOptions.from(null, 0));

            assertThat(reply).isInstanceOf(ProxyReply.Relayed.class);
            assertThat(seenHeaders)
                    .containsExactly(Map.of(
                            "A2A-Version", "0.3", "Accept", "application/json", "Content-Type", "application/json"));
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
            assertThat(seenHeaders).isEmpty();
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
        String url = "http://127.0.0.1:" + agent.getAddress().getPort();
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
