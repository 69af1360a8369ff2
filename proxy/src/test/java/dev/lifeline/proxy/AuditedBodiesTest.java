package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Activity;
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
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the audit row of a call keeps of bodies that are not text: a row every store accepts. */
class AuditedBodiesTest {
    /** The first bytes of a gzip stream: binary, with NUL bytes in it. */
    private static final byte[] GZIP = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};

    private final JdbcStore store = Stores.inMemoryH2("audit" + System.nanoTime());
    private final StubAgent agent = StubAgent.start();
    private final A2aProxy proxy = new A2aProxy(
            store,
            (w, e) -> Verdict.ALIVE,
            id -> {},
            new EventBus() {
                @Override
                public void publish(PublishedEvent event) {}

                @Override
                public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
                    return () -> {};
                }
            },
            ProxyConfig.DEFAULTS,
            ProxyMetrics.NONE,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        proxy.close();
        agent.close();
        store.close();
    }

    @Test
    void compressedBodiesAreLoggedWithoutTheNulCharactersPostgresRefusesInText() {
        agent.answering(r -> new StubAgent.Answer(
                200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), GZIP));
        WorkspaceId id = workspace();

        proxy.forward(
                id,
                GZIP,
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                CallOptions.from(null, 0));

        await().until(() -> !store.recentActivity(id, 1).isEmpty());
        Activity logged = store.recentActivity(id, 1).getFirst();
        assertThat(agent.received().getFirst().body()).isEqualTo(GZIP);
        assertThat(logged.requestBody()).isNotEmpty().doesNotContain("\u0000");
        assertThat(logged.responseBody()).isNotEmpty().doesNotContain("\u0000");
    }

    private WorkspaceId workspace() {
        WorkspaceId id = WorkspaceId.random();
        String url = agent.url();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, url, null, null),
                new WorkspaceEvent.Online(id, url, null, null),
                Instant.now());
        return id;
    }
}
