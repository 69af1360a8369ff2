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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A workspace that is paused, failed or removed calls no one, whichever process still holds its token. */
class CallerStatusTest {
    private static final byte[] SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}";

    private final JdbcStore store = Stores.inMemoryH2("caller" + System.nanoTime());
    private final RawAgent agent = new RawAgent()
            .answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + RESULT.length()
                    + "\r\nConnection: close\r\n\r\n" + RESULT);
    private final A2aProxy proxy = new A2aProxy(
            store,
            (w, e) -> Verdict.ALIVE,
            id -> {},
            silentBus(),
            ProxyConfig.DEFAULTS,
            ProxyMetrics.NONE,
            Clock.systemUTC());

    CallerStatusTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        agent.close();
        store.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkspaceStatus.class,
            names = {"PAUSED", "FAILED", "REMOVED"})
    void aCallerThatIsPausedFailedOrRemovedIsRefusedWith403AndTheTargetIsNeverCalled(WorkspaceStatus status) {
        WorkspaceId caller = workspace(status);
        WorkspaceId target = workspace(WorkspaceStatus.ONLINE);

        ProxyReply reply = proxy.forward(target, SEND, Map.of(), CallOptions.from(caller, 0));

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).containsEntry("error", "caller workspace is " + status.wire());
        });
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void aCallerThatIsRunningReachesItsSibling() {
        WorkspaceId caller = workspace(WorkspaceStatus.DEGRADED);
        WorkspaceId target = workspace(WorkspaceStatus.ONLINE);

        ProxyReply reply = proxy.forward(target, SEND, Map.of(), CallOptions.from(caller, 0));

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> assertThat(r.status())
                .isEqualTo(200));
    }

    private WorkspaceId workspace(WorkspaceStatus status) {
        WorkspaceId id = WorkspaceId.random();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", status, agent.url(), null, null),
                new WorkspaceEvent.Online(id, agent.url(), null, null),
                Instant.now());
        return id;
    }

    private static EventBus silentBus() {
        return new EventBus() {
            @Override
            public void publish(PublishedEvent event) {}

            @Override
            public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
                return () -> {};
            }
        };
    }
}
