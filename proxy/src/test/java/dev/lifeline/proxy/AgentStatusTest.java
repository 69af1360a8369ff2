package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.Evidence;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever final status an agent answers reaches the caller with the agent's bytes as it sent them,
 * and says nothing about the agent's health; only a failure to get an answer at all is a transport
 * failure.
 */
class AgentStatusTest {
    private static final byte[] SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final String DENIED =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32001,\"message\":\"no\"}}";
    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}";
    /** Short enough that an interim answer mistaken for silence fails the test quickly. */
    private static final ProxyConfig CONFIG = new ProxyConfig(
            Duration.ofSeconds(10),
            Duration.ofSeconds(3),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofSeconds(15),
            Duration.ofMillis(250),
            1 << 20,
            10 << 20);

    private final JdbcStore store = Stores.inMemoryH2("status" + System.nanoTime());
    private final List<Evidence> suspicions = new CopyOnWriteArrayList<>();
    private final RawAgent agent = new RawAgent();
    private final A2aProxy proxy = new A2aProxy(
            store,
            (w, e) -> {
                suspicions.add(e);
                return Verdict.ALIVE;
            },
            id -> {},
            silentBus(),
            CONFIG,
            ProxyMetrics.NONE,
            Clock.systemUTC());

    AgentStatusTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        agent.close();
        store.close();
    }

    @Test
    void anAgentsOwn401WithoutAChallengeReachesTheCallerAndIsNoHealthEvidence() {
        agent.answering(answer("401 Unauthorized", DENIED));

        assertRelayed(send(), 401, DENIED);
        assertThat(suspicions).isEmpty();
    }

    @Test
    void anAgentsOwn407WithoutAChallengeReachesTheCallerAndIsNoHealthEvidence() {
        agent.answering(answer("407 Proxy Authentication Required", DENIED));

        assertRelayed(send(), 407, DENIED);
        assertThat(suspicions).isEmpty();
    }

    @Test
    void anAgentsOwn304ReachesTheCallerAndIsNoHealthEvidence() {
        agent.answering("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");

        assertRelayed(send(), 304, "");
        assertThat(suspicions).isEmpty();
    }

    @Test
    void interimAnswersAreSkippedAndTheFinalAnswerIsRelayedAtOnce() {
        agent.answering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" + answer("200 OK", RESULT));

        long started = System.nanoTime();
        ProxyReply reply = send();

        assertRelayed(reply, 200, RESULT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CONFIG.responseHeaderTimeout());
        assertThat(suspicions).isEmpty();
    }

    @Test
    void anInterimStatusTheClientHasNoHandlerForIsSkippedToo() {
        agent.answering("HTTP/1.1 150 Unassigned\r\n\r\n" + answer("200 OK", RESULT));

        ProxyReply reply = assertTimeoutPreemptively(CONFIG.responseHeaderTimeout(), () -> send());

        assertRelayed(reply, 200, RESULT);
    }

    @Test
    void anAgentThatStallsAfterAnInterimAnswerIsBusyAtTheHeaderBound() {
        agent.answering("HTTP/1.1 150 Unassigned\r\n\r\n").stalling();

        ProxyReply reply =
                assertTimeoutPreemptively(CONFIG.responseHeaderTimeout().multipliedBy(3), () -> send());

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).containsEntry("busy", true);
        });
    }

    @Test
    void anAgentThatTriesToSwitchProtocolsOnACallGetsAClear502NotA101() {
        agent.answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");

        ProxyReply reply = send();

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body().get("error")).asString().contains("tried to switch protocols");
        });
        assertThat(suspicions).isEmpty();
    }

    @Test
    void aCompressedEventStreamComesBackByteForByteWithItsContentEncoding() throws IOException {
        byte[] events = gzip("data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n");
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: " + events.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        raw.writeBytes(events);
        agent.answering(raw.toByteArray());

        ProxyReply reply = send();

        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Streamed.class, s -> {
            assertThat(s.headers()).containsEntry("Content-Encoding", "gzip");
            ByteArrayOutputStream relayed = new ByteArrayOutputStream();
            assertThat(s.relay().relay(relayed)).isTrue();
            assertThat(relayed.toByteArray()).isEqualTo(events);
        });
    }

    @Test
    void anAgentsOwn503StaysHealthEvidence() {
        agent.answering(answer("503 Service Unavailable", DENIED));

        assertRelayed(send(), 503, DENIED);
        assertThat(suspicions).containsExactly(Evidence.REACTIVE_UPSTREAM);
    }

    @Test
    void aKeptConnectionTheAgentEndsUnderACallIsNoFailureTheCallIsSentOnceMoreOnANewOne() {
        agent.answering(keptAnswer("200 OK", RESULT)).endingKeptConnections();
        WorkspaceId id = workspace();
        assertRelayed(send(id), 200, RESULT); // leaves a kept-alive connection

        assertRelayed(send(id), 200, RESULT);
        assertThat(agent.connections()).isEqualTo(2);
        assertThat(agent.requests()).hasSize(3);
        assertThat(agent.requests().get(2)).containsEntry("connection", "close"); // not kept in turn
        assertThat(suspicions).isEmpty();
    }

    @Test
    void aCallIsSentOnceMoreOnlyAfterAKeptConnectionEndsUnderItAndOnlyOnce() {
        agent.answering(keptAnswer("200 OK", RESULT)).endingKeptConnections();
        WorkspaceId id = workspace();
        assertRelayed(send(id), 200, RESULT);
        agent.resettingAfterReading(); // and from now on every request is reset, on any connection

        ProxyReply onTheKeptConnection = send(id); // the kept connection, then one new one
        ProxyReply onANewConnection = send(id); // a new connection only

        assertThat(onTheKeptConnection).isInstanceOf(ProxyReply.Refused.class);
        assertThat(onANewConnection).isInstanceOf(ProxyReply.Refused.class);
        assertThat(agent.connections()).isEqualTo(3);
        assertThat(agent.requests()).hasSize(4);
    }

    private ProxyReply send() {
        return send(workspace());
    }

    private ProxyReply send(WorkspaceId id) {
        return proxy.forward(id, SEND, Map.of(), CallOptions.from(null, 0));
    }

    private WorkspaceId workspace() {
        WorkspaceId id = WorkspaceId.random();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, agent.url(), null, null),
                new WorkspaceEvent.Online(id, agent.url(), null, null),
                Instant.now());
        return id;
    }

    private static void assertRelayed(ProxyReply reply, int status, String body) {
        assertThat(reply).isInstanceOfSatisfying(ProxyReply.Relayed.class, r -> {
            assertThat(r.status()).isEqualTo(status);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        });
    }

    private static String answer(String statusLine, String json) {
        return "HTTP/1.1 " + statusLine + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json;
    }

    /** An answer after which the connection may be kept for the next call. */
    private static String keptAnswer(String statusLine, String json) {
        return answer(statusLine, json).replace("Connection: close\r\n", "");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
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
