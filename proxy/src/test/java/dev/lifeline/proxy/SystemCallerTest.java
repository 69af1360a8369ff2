package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.NewWorkspace;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifeline's own callers use the same proxy core under a reserved, trusted id. */
class SystemCallerTest {
    private final JdbcStore store = Stores.inMemoryH2("proxy" + System.nanoTime());
    private HttpServer agent;
    private A2aProxy proxy;

    @BeforeEach
    void start() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", exchange -> {
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        EventBus bus = new EventBus() {
            @Override
            public void publish(dev.lifeline.core.PublishedEvent event) {}

            @Override
            public Subscription subscribe(java.util.function.Consumer<dev.lifeline.core.PublishedEvent> s) {
                return () -> {};
            }
        };
        proxy = new A2aProxy(
                store,
                (w, e) -> Verdict.ALIVE,
                id -> {},
                bus,
                ProxyConfig.DEFAULTS,
                ProxyMetrics.NONE,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        agent.stop(0);
        store.close();
    }

    @Test
    void aSystemCallerReachesTheAgentAndIsRecordedUnderItsId() {
        WorkspaceId id = WorkspaceId.random();
        String url = "http://127.0.0.1:" + agent.getAddress().getPort();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, url, null, null),
                new WorkspaceEvent.Online(id, url, null, null),
                java.time.Instant.now());
        byte[] body = "{\"method\":\"message/send\",\"params\":{\"message\":{}}}".getBytes(StandardCharsets.UTF_8);

        ProxyReply reply = proxy.forward(id, body, Map.of(), CallOptions.system("system:restart-context", 0));

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> assertThat(r.status())
                .isEqualTo(200));
        await().until(() -> !store.recentActivity(id, 1).isEmpty());
        assertThat(store.recentActivity(id, 1).getFirst().sourceId()).isEqualTo("system:restart-context");
    }

    @Test
    void onlyReservedPrefixesMakeASystemCaller() {
        assertThat(CallOptions.isSystemId("Webhook:github")).isTrue();
        assertThat(CallOptions.isSystemId("3f0c6f0e-0000-0000-0000-000000000000"))
                .isFalse();
        assertThatThrownBy(() -> CallOptions.system("operator", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
