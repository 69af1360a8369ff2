package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceTokens;
import dev.lifeline.proxy.A2aProxy;
import dev.lifeline.proxy.AgentLoad;
import dev.lifeline.proxy.CallOptions;
import dev.lifeline.proxy.ProxyConfig;
import dev.lifeline.proxy.ProxyMetrics;
import dev.lifeline.proxy.ProxyReply;
import dev.lifeline.proxy.StreamLines;
import dev.lifeline.server.edge.EdgeExchange;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The common A2A call served on the edge's event loop: answered with the agent's own bytes over a
 * kept-alive connection, judged like the blocking way when the agent refuses or fails, and handed
 * back to the blocking way whenever anything unusual is needed.
 */
class A2aLaneTest {
    private static final String ADMIN = "admin-token-for-the-lane";
    private static final String SEND =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{}}}";
    private static final ProxyConfig CONFIG = new ProxyConfig(
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofMillis(100),
            Duration.ofMillis(1),
            1 << 20,
            4096);

    private final JdbcStore store = Stores.inMemoryH2("lane" + System.nanoTime());
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile Verdict verdict = Verdict.ALIVE;
    private volatile @Nullable RuntimeException judgementFails;
    private final A2aProxy proxy = new A2aProxy(
            store,
            (w, e) -> {
                RuntimeException fails = judgementFails;
                if (fails != null) {
                    throw fails;
                }
                return verdict;
            },
            id -> {},
            new SilentBus(),
            CONFIG,
            ProxyMetrics.NONE,
            Clock.systemUTC(),
            store.callQueue(),
            new AgentLoad(Clock.systemUTC(), Duration.ZERO),
            Duration.ofMinutes(1));
    private static final Executor BLOCKING = Executors.newVirtualThreadPerTaskExecutor();
    private final Auth auth = new Auth(
            ADMIN,
            new TokenGrants(store, System::nanoTime),
            new BrowserSessions(new SessionTokens(new byte[32], Clock.systemUTC(), Duration.ofHours(1))));
    private final A2aLane lane = new A2aLane(proxy.fastLane(BLOCKING), auth, CONFIG, BLOCKING, caller -> loops.next());
    private final NettyAgent agent = NettyAgent.start();

    @AfterEach
    void stop() {
        agent.close();
        proxy.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
    }

    @Test
    void theAgentsAnswerReachesTheCallerWithItsStatusBytesAndContentEncoding() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        byte[] compressed = {31, -117, 8, 0, 1, 2, 3, 4};
        for (int status : new int[] {200, 404, 500}) {
            agent.answering(
                    status,
                    Map.of("Content-Type", "application/json", "Content-Encoding", "gzip", "Set-Cookie", "a=1"),
                    compressed);

            Exchange call = serve(id, SEND);

            FullHttpResponse answer = call.answer();
            assertThat(call.relayed()).isFalse();
            assertThat(answer.status().code()).isEqualTo(status);
            assertThat(ByteBufUtil.getBytes(answer.content())).isEqualTo(compressed);
            assertThat(answer.headers().get("Content-Encoding")).isEqualTo("gzip");
            assertThat(answer.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.headers().contains("Set-Cookie")).isFalse();
            answer.release();
        }
        assertThat(agent.received().getLast().body()).isEqualTo(SEND.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void twoCallsToOneAgentShareOneKeptAliveConnection() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        int before = agent.connections();

        serve(id, SEND).answer().release();
        serve(id, SEND).answer().release();

        assertThat(agent.connections()).isEqualTo(before + 1);
    }

    @Test
    void aKeptConnectionIdleForTheWholeIdleWindowIsClosed() {
        WorkspaceId id = warmed(workspace(agent.url(), null));

        serve(id, SEND).answer().release();

        await().atMost(Duration.ofSeconds(4 * CONFIG.connectTimeout().toSeconds()))
                .until(() -> agent.openConnections() == 0);
    }

    @Test
    void aKeptConnectionTheAgentEndsBeforeAByteOfItsAnswerIsReplacedByANewOneForTheSameCall() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        serve(id, SEND).answer().release(); // leaves the lane a kept-alive connection
        agent.ending(1);
        int before = agent.connections();

        FullHttpResponse answer = serve(id, SEND).answer();

        assertThat(answer.status().code()).isEqualTo(200);
        answer.release();
        assertThat(agent.connections()).isEqualTo(before + 1);
        assertThat(agent.received()).hasSize(3);
    }

    @Test
    void aCallIsSentOnceMoreOnlyOnANewConnectionAndOnlyOnce() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        serve(id, SEND).answer().release();
        agent.ending(0);
        int before = agent.connections();

        FullHttpResponse kept = serve(id, SEND).answer(); // the kept connection, then one new one
        FullHttpResponse fresh = serve(id, SEND).answer(); // a new connection only

        assertThat(kept.status().code()).isEqualTo(503);
        assertThat(fresh.status().code()).isEqualTo(503);
        kept.release();
        fresh.release();
        assertThat(agent.connections()).isEqualTo(before + 2);
    }

    @Test
    void aFastCallIsLoggedInTheTargetsActivity() {
        WorkspaceId id = warmed(workspace(agent.url(), null));

        serve(id, SEND).answer().release();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> store.recentActivity(id, 10).size() == 2);
        assertThat(store.recentActivity(id, 10).getFirst().method()).isEqualTo("message/send");
    }

    @Test
    void browserCallsUnusualCallsAndUnknownCallersAreHandedToTheBlockingWay() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        int before = agent.received().size();

        // these are told from the head: not even the body is read here
        assertThat(claims(id, "Origin", "http://canvas.example")).isFalse();
        assertThat(claims(id, "Cookie", "lifeline_session=x")).isFalse();
        assertThat(claims(id, "Prefer", "wait=5")).isFalse();
        assertThat(serve(id, SEND, "X-Timeout", "soon").relayed()).isTrue();
        assertThat(serve(id, SEND, "Accept", "text/event-stream").relayed()).isTrue();
        assertThat(serve(id, SEND.replace("message/send", "message/stream")).relayed())
                .isTrue();
        assertThat(serve(id, SEND.replace("message/send", "SubscribeToTask")).relayed())
                .isTrue();
        assertThat(serve(id, SEND, "Authorization", "Bearer not-the-admin").relayed())
                .isTrue();
        // an agent's token is taken only once the token cache knows it
        assertThat(serve(id, SEND, "X-Workspace-ID", id.toString(), "Authorization", "Bearer agent-token")
                        .relayed())
                .isTrue();
        assertThat(agent.received()).hasSize(before);
    }

    @Test
    void anAgentWhoseTokenIsKnownCallsItsPeerOnTheLane() {
        WorkspaceId target = workspace(agent.url(), null);
        WorkspaceId caller = workspace(agent.url(), null);
        String token = WorkspaceTokens.mint();
        store.replaceToken(caller, 1, WorkspaceTokens.hash(token), WorkspaceTokens.prefix(token), Instant.now());
        assertThat(auth.grantOf(token).workspaceId()).isEqualTo(caller); // the first use looks it up
        proxy.forward(target, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(caller, 0));

        Exchange call = serve(target, SEND, "X-Workspace-ID", caller.toString(), "Authorization", "Bearer " + token);

        FullHttpResponse answer = call.answer();
        assertThat(call.relayed()).isFalse();
        assertThat(answer.status().code()).isEqualTo(200);
        answer.release();
    }

    @Test
    void aTargetWhoseRowIsNotCachedOrThatIsOverBudgetIsHandedToTheBlockingWay() {
        WorkspaceId cold = workspace(agent.url(), null);
        WorkspaceId broke = warmed(workspace(agent.url(), 0L));

        assertThat(serve(cold, SEND).relayed()).isTrue();
        assertThat(serve(broke, SEND).relayed()).isTrue();
    }

    @Test
    void aConnectionRefusedBeforeAByteWasWrittenIsHandedToTheBlockingWay() throws Exception {
        String closed;
        try (ServerSocket gone = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + gone.getLocalPort() + "/";
        }
        WorkspaceId id = workspace(closed, null);
        proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));

        assertThat(serve(id, SEND).awaitRelay()).isTrue();
    }

    @Test
    void a503FromALiveAgentIsItsOwnAnswerAndA502FromADeadOneIsTheRestartAnswer() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.answering(
                503,
                Map.of("Content-Type", "application/json", "Retry-After", "3"),
                "{\"busy\":1}".getBytes(StandardCharsets.UTF_8));

        FullHttpResponse live = serve(id, SEND).answer();

        assertThat(live.status().code()).isEqualTo(503);
        assertThat(live.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"busy\":1}");
        assertThat(live.headers().get("Retry-After")).isEqualTo("3");
        live.release();

        verdict = Verdict.DEAD_RESTARTING;
        agent.answering(502, Map.of(), "bad gateway".getBytes(StandardCharsets.UTF_8));
        FullHttpResponse dead = serve(id, SEND).answer();

        assertThat(dead.status().code()).isEqualTo(503);
        assertThat(dead.headers().get("Retry-After")).isEqualTo("15");
        assertThat(dead.content().toString(StandardCharsets.UTF_8)).contains("\"restarting\":true");
        dead.release();
    }

    @Test
    void aCallALiveAgentRefusedWith429WaitsInTheWorkspacesQueue() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.answering(429, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));

        FullHttpResponse queued = serve(id, SEND.replace("{\"message\":{}}", "{\"message\":{\"messageId\":\"m-1\"}}"))
                .answer();

        assertThat(queued.status().code()).isEqualTo(202);
        assertThat(queued.content().toString(StandardCharsets.UTF_8)).contains("\"queued\":true", "\"queue_id\"");
        queued.release();
    }

    @Test
    void anAgentNamedByHostIsServedOnceItsNameResolvedOffTheEventLoop() {
        WorkspaceId id = warmed(workspace(agent.url().replace("127.0.0.1", "localhost"), null));

        assertThat(serve(id, SEND).relayed()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Exchange call = serve(id, SEND);
            if (call.relayed()) {
                return false;
            }
            call.answer().release();
            return true;
        });
    }

    @Test
    void anAgentSilentPastTheHeaderBoundGetsTheBlockingWaysBusyAnswer() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.silent();

        FullHttpResponse fast = serve(id, SEND).answer();
        ProxyReply blocking =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));

        assertSameRefusal(fast, blocking);
        assertThat(fast.content().toString(StandardCharsets.UTF_8)).contains("\"busy\":true");
        fast.release();
    }

    @Test
    void aJudgementThatFailsIsAnsweredAsTheBlockingWaysErrorsAreAndABrokenStreamStillEndsOnBothWays() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.answering(502, Map.of("Content-Type", "text/plain"), "bad gateway".getBytes(StandardCharsets.UTF_8));
        judgementFails = new StoreException("the database is gone", new IllegalStateException());

        FullHttpResponse judged = serve(id, SEND).answer();

        assertThat(judged.status().code()).isEqualTo(503);
        assertThat(judged.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"datastore unavailable — retry shortly\"}");
        judged.release();

        byte[] event = "data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8);
        agent.streaming(event, true);
        Exchange stream = serve(id, SEND);

        stream.streamOpensWith(event);
        String ending = stream.lastPiece();
        assertThat(ending).contains("\"message\":\"workspace agent stream broke\"", "\"restarting\":false");
        assertThat(ending).isEqualTo(blockingStreamOf(id).substring(event.length));
    }

    @Test
    void aCallWhoseTargetStaysSilentForItsIdleWindowIsCutOffLikeTheBlockingWay() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        proxy.idleOverrides().set(id, Duration.ofMillis(200));
        agent.silent();

        FullHttpResponse fast = serve(id, SEND).answer();
        ProxyReply blocking =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));

        assertSameRefusal(fast, blocking);
        fast.release();
    }

    @Test
    void anAnswerPastTheResponseCapIsTheBlockingWays502() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.answering(200, Map.of("Content-Type", "application/json"), new byte[CONFIG.maxResponseBytes() + 1]);

        FullHttpResponse fast = serve(id, SEND).answer();
        ProxyReply blocking =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));

        assertThat(fast.status().code()).isEqualTo(502);
        assertSameRefusal(fast, blocking);
        fast.release();
    }

    @Test
    void anEventStreamAnswerIsRelayedAsItArrives() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        byte[] events = "data: {\"n\":1}\n\ndata: {\"n\":2}\n\n".getBytes(StandardCharsets.UTF_8);
        agent.answering(200, Map.of("Content-Type", "text/event-stream"), events);

        Exchange call = serve(id, SEND);

        assertThat(call.next()).isInstanceOfSatisfying(HttpResponse.class, head -> {
            assertThat(head).isNotInstanceOf(FullHttpResponse.class);
            assertThat(head.status().code()).isEqualTo(200);
            assertThat(head.headers().get("Content-Type")).isEqualTo("text/event-stream");
            assertThat(HttpUtil.isTransferEncodingChunked(head)).isTrue();
        });
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        Object part;
        do {
            part = call.next();
            HttpContent content = (HttpContent) part;
            relayed.writeBytes(ByteBufUtil.getBytes(content.content()));
            content.release();
        } while (!(part instanceof LastHttpContent));
        assertThat(relayed.toByteArray()).isEqualTo(events);
    }

    @Test
    void aSilentEventStreamGetsTheBlockingWaysKeepAliveCommentBetweenEvents() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        byte[] event = "data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8);
        agent.streaming(event, false);

        Exchange call = serve(id, SEND);

        call.streamOpensWith(event);
        assertThat(call.nextBytes()).isEqualTo(StreamLines.KEEP_ALIVE);
        assertThat(call.nextBytes()).isEqualTo(StreamLines.KEEP_ALIVE);
    }

    @Test
    void anEventStreamTheAgentBreaksOffEndsWithTheBlockingWaysLastEvent() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        byte[] event = "data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8);
        agent.streaming(event, true);
        verdict = Verdict.DEAD_RESTARTING;

        Exchange call = serve(id, SEND);

        call.streamOpensWith(event);
        String ending = call.lastPiece();
        assertThat(ending).isEqualTo(blockingStreamOf(id).substring(event.length));
        assertThat(ending)
                .startsWith("data: {\"jsonrpc\":\"2.0\",\"id\":7,\"error\"")
                .contains("\"restarting\":true");
    }

    @Test
    void anEventStreamWhoseTargetStaysSilentForItsIdleWindowIsCutOffWithTheBlockingWaysLastEvent() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        proxy.idleOverrides().set(id, Duration.ofMillis(300));
        byte[] event = "data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8);
        agent.streaming(event, false);

        Exchange call = serve(id, SEND);

        call.streamOpensWith(event);
        assertThat(call.lastPiece())
                .isEqualTo("data: {\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":"
                        + "\"workspace agent went silent for the whole idle window; the stream was cut\","
                        + "\"data\":{\"restarting\":false}}}\n\n");
    }

    @Test
    void interimAnswersAreSkippedAndA101IsRefusedLikeTheBlockingWay() {
        WorkspaceId id = warmed(workspace(agent.url(), null));
        agent.hinting();

        FullHttpResponse hinted = serve(id, SEND).answer();

        assertThat(hinted.status().code()).isEqualTo(200);
        assertThat(hinted.headers().contains("Link")).isFalse();
        hinted.release();

        agent.answering(101, Map.of("Upgrade", "h2c", "Connection", "Upgrade"), new byte[0]);
        FullHttpResponse switched = serve(id, SEND).answer();
        ProxyReply blocking =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));

        assertSameRefusal(switched, blocking);
        switched.release();
    }

    /** What the blocking way relays to a caller of the same call, from the agent's first byte to the end. */
    private String blockingStreamOf(WorkspaceId id) {
        ProxyReply reply =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));
        assertThat(reply).isInstanceOf(ProxyReply.Streamed.class);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        boolean _ = ((ProxyReply.Streamed) reply).relay().relay(relayed);
        return relayed.toString(StandardCharsets.UTF_8);
    }

    private static void assertSameRefusal(FullHttpResponse fast, ProxyReply blocking) {
        assertThat(blocking).isInstanceOfSatisfying(ProxyReply.Refused.class, r -> {
            assertThat(fast.status().code()).isEqualTo(r.status());
            assertThat(fast.content().toString(StandardCharsets.UTF_8)).isEqualTo(Json.write(r.body()));
            r.headers().forEach((name, value) -> assertThat(fast.headers().get(name))
                    .isEqualTo(value));
        });
    }

    private boolean claims(WorkspaceId id, String... headers) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/workspaces/" + id + "/a2a", Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        return lane.claims(request);
    }

    private Exchange serve(WorkspaceId id, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.POST,
                "/workspaces/" + id + "/a2a",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set("Authorization", "Bearer " + ADMIN);
        request.headers().set("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        assertThat(lane.claims(request)).isTrue();
        Exchange exchange = new Exchange(request);
        lane.serve(exchange);
        return exchange;
    }

    /** Sends one call the blocking way, which caches the rows the lane needs. */
    private WorkspaceId warmed(WorkspaceId id) {
        ProxyReply reply =
                proxy.forward(id, SEND.getBytes(StandardCharsets.UTF_8), Map.of(), CallOptions.from(null, 0));
        assertThat(reply).isNotNull();
        return id;
    }

    private WorkspaceId workspace(String url, Long budget) {
        WorkspaceId id = WorkspaceId.random();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, url, null, budget),
                new WorkspaceEvent.Online(id, url, null, null),
                Instant.now());
        return id;
    }

    /** The edge's side of one request: what the lane wrote, and whether it handed the request back. */
    private static final class Exchange implements EdgeExchange {
        private final FullHttpRequest request;
        private final BlockingQueue<Object> written = new LinkedBlockingQueue<>();
        private final AtomicBoolean relayed = new AtomicBoolean();
        private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                written.add(msg);
                promise.setSuccess();
            }
        });

        Exchange(FullHttpRequest request) {
            this.request = request;
        }

        @Override
        public FullHttpRequest request() {
            return request;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public void relay() {
            relayed.set(true);
        }

        @Override
        public void upgrade(FullHttpResponse switching, ChannelHandler then) {
            throw new AssertionError("the lane never upgrades a connection");
        }

        boolean relayed() {
            return relayed.get();
        }

        boolean awaitRelay() {
            await().atMost(Duration.ofSeconds(5)).untilTrue(relayed);
            return relayed.get();
        }

        FullHttpResponse answer() {
            Object first = next();
            assertThat(first).isInstanceOf(FullHttpResponse.class);
            return (FullHttpResponse) first;
        }

        /** Reads a relayed stream's head, then its first event, which must be {@code event}. */
        void streamOpensWith(byte[] event) {
            assertThat(next()).isInstanceOf(HttpResponse.class);
            assertThat(nextBytes()).isEqualTo(event);
        }

        /** The text of a relayed stream's last piece; only keep-alive comments may come before it. */
        String lastPiece() {
            Object part = next();
            while (!(part instanceof LastHttpContent)) {
                assertThat(bytesOf(part)).isEqualTo(StreamLines.KEEP_ALIVE);
                part = next();
            }
            LastHttpContent last = (LastHttpContent) part;
            String text = last.content().toString(StandardCharsets.UTF_8);
            last.release();
            return text;
        }

        /** The bytes of the next piece of a relayed stream the lane wrote to the caller. */
        byte[] nextBytes() {
            return bytesOf(next());
        }

        private static byte[] bytesOf(Object message) {
            assertThat(message).isInstanceOf(HttpContent.class);
            HttpContent content = (HttpContent) message;
            byte[] bytes = ByteBufUtil.getBytes(content.content());
            content.release();
            return bytes;
        }

        /** The next thing the lane wrote to the caller. */
        Object next() {
            try {
                Object message = written.poll(10, TimeUnit.SECONDS);
                assertThat(message).as("an answer to the caller").isNotNull();
                return message;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class SilentBus implements EventBus {
        @Override
        public void publish(PublishedEvent event) {}

        @Override
        public Subscription subscribe(Consumer<PublishedEvent> subscriber) {
            return () -> {};
        }
    }
}
