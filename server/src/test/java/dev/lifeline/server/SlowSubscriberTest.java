package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.testkit.StubAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that stops reading is cut off once what it has not read passes its bound, and is
 * counted; a subscriber that reads keeps receiving every event.
 */
class SlowSubscriberTest {
    /** Far more than the 1 MiB bound plus what the kernel buffers on both ends of one connection. */
    private static final int MAX_CALLS = 4000;

    @TempDir
    Path dataDir;

    private StubAgent agent;
    private TestServer server;
    private String target;

    @BeforeEach
    void start() {
        // An answer just under the preview size: each call puts about 4 KiB into every feed.
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + "a".repeat(3900) + "\"}}";
        agent = StubAgent.start().answering(200, answer);
        server = TestServer.start(
                dataDir,
                Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true", "LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"));
        String url = agent.url();
        target = server.api
                .post("/workspaces", Map.of("name", "chatty", "external", true, "url", url))
                .json()
                .get("id")
                .asText();
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    @Test
    void aWebSocketClientThatStopsReadingIsCutOffAndCountedWhileAReadingClientKeepsReceiving() throws Exception {
        try (StalledClient stalled = StalledClient.webSocket(server);
                EventRecorder reading = EventRecorder.webSocket(server)) {
            assertThat(stalled.status()).contains("101");

            int calls = callUntilCutOff("ws");

            assertThat(stalled.wasCutOff(Duration.ofSeconds(10))).isTrue();
            await().until(() -> responses(reading) == calls);
            server.send(target, "after");
            await().until(() -> responses(reading) == calls + 1);
            assertThat(dropped("ws")).isEqualTo(1);
        }
    }

    @Test
    void anSseClientThatStopsReadingIsCutOffAndCountedWhileAReadingClientKeepsReceiving() throws Exception {
        try (StalledClient stalled = StalledClient.sse(server, target);
                EventRecorder reading = EventRecorder.sse(server, target)) {
            assertThat(stalled.status()).contains("200");

            int calls = callUntilCutOff("sse");

            assertThat(stalled.wasCutOff(Duration.ofSeconds(10))).isTrue();
            await().until(() -> responses(reading) == calls);
            assertThat(dropped("sse")).isEqualTo(1);
        }
    }

    /** Makes canvas calls, four at a time, until a subscriber of {@code stream} was cut off. */
    private int callUntilCutOff(String stream) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                callers.add(pool.submit(() -> {
                    while (calls.get() < MAX_CALLS && dropped(stream) == 0) {
                        for (int j = 0; j < 25; j++) {
                            calls.incrementAndGet();
                            assertThat(server.send(target, "hi").status()).isEqualTo(200);
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> caller : callers) {
            caller.get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped(stream) == 1);
        return calls.get();
    }

    private static long responses(EventRecorder feed) {
        return feed.all().stream().filter(e -> e.type().equals("A2A_RESPONSE")).count();
    }

    private long dropped(String stream) {
        Matcher m = Pattern.compile("lifeline_event_subscribers_dropped_total\\{stream=\"" + stream + "\",?} (\\S+)")
                .matcher(server.api.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
