package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import dev.lifeline.testkit.StubAgent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifeline's own callers use the same proxy core under a reserved, trusted id. */
class SystemCallerTest {
    private final JdbcStore store = Stores.inMemoryH2("proxy" + System.nanoTime());
    private final StubAgent agent = StubAgent.start();
    private A2aProxy proxy;

    @BeforeEach
    void start() {
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
        agent.close();
        store.close();
    }

    @Test
    void aSystemCallerReachesTheAgentAndIsRecordedUnderItsId() {
        WorkspaceId id = WorkspaceId.random();
        String url = agent.url();
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
