package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.server.edge.EdgeExchange;
import dev.lifeline.server.edge.EdgeRoute;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Netty edge on the public port: routes it serves on its event loop, and every other request
 * relayed to Javalin with the caller's address, its body and its answer streamed, WebSockets and
 * event streams carried through, pipelined requests answered in order, and what it cannot decode
 * refused in JSON.
 */
class EdgeTest {
    private static final String TOKEN = TestServer.ADMIN_TOKEN;

    @TempDir
    static Path dataDir;

    private static TestServer server;
    private static final Queue<SocketAddress> callersSeenByJavalin = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        server = TestServer.withEdgeRoutes(
                dataDir,
                Map.of("LIFELINE_AGENT_URLS_ALLOW_LOOPBACK", "true"),
                List.of(new Here(), new RelaysWhenAsked(), new CountsBytes()));
        jettyConnector().addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                callersSeenByJavalin.add(connection.getEndPoint().getRemoteSocketAddress());
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void javalinListensOnLoopbackBehindTheEdge() {
        ServerConnector jetty = jettyConnector();

        assertThat(jetty.getHost()).isEqualTo("127.0.0.1");
        assertThat(jetty.getLocalPort()).isNotEqualTo(server.server.port());
    }

    @Test
    void javalinSeesTheCallersAddressNotTheEdges() throws IOException {
        try (Socket caller = connect()) {
            write(caller, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(head(caller)).startsWith("HTTP/1.1 200");
            assertThat(callersSeenByJavalin)
                    .contains(new InetSocketAddress(caller.getLocalAddress(), caller.getLocalPort()));
        }
    }

    @Test
    void aClaimedRouteAnswersOnTheEventLoop() {
        RawHttp.Answer a =
                RawHttp.exchange(server.url(), "GET /edge/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("served on the event loop: true");
    }

    @Test
    void aClaimedRouteThatRelaysGetsJavalinsAnswer() {
        RawHttp.Answer a = RawHttp.exchange(
                server.url(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Relay: yes\r\nConnection: close\r\n\r\n");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aClaimedBodyOverItsLimitReachesTheRouteOneByteTooLongAndTheConnectionCloses() throws IOException {
        try (Socket caller = connect()) {
            write(caller, "POST /edge/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            write(caller, "40\r\n" + "a".repeat(64) + "\r\n");

            assertThat(head(caller)).startsWith("HTTP/1.1 413");
            assertThat(new String(caller.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("17 bytes");
        }
    }

    @Test
    void aClaimedBodyThatStallsIsAJson408AtTheRequestIdleTimeout(@TempDir Path otherDir) {
        try (TestServer quick = TestServer.withEdgeRoutes(
                        otherDir, Map.of("LIFELINE_REQUEST_IDLE_TIMEOUT_SECONDS", "1"), List.of(new CountsBytes()));
                RawHttp http = RawHttp.connect(quick.url())) {
            http.write("POST /edge/size HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123");

            RawHttp.Answer a = http.read();

            assertThat(a.status()).isEqualTo(408);
            assertThat(a.json().get("error").asText()).startsWith("the request stalled");
        }
    }

    @Test
    void theEdgesOwnErrorCarriesTheCorsHeadersOfAnAllowedPageAndNoneForAnotherOrigin(@TempDir Path otherDir) {
        try (TestServer quick = TestServer.withEdgeRoutes(
                        otherDir, Map.of("LIFELINE_REQUEST_IDLE_TIMEOUT_SECONDS", "1"), List.of(new CountsBytes()));
                RawHttp canvas = RawHttp.connect(quick.url());
                RawHttp elsewhere = RawHttp.connect(quick.url())) {
            String stalled = "POST /edge/size HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nOrigin: ";
            canvas.write(stalled + "http://localhost:3000\r\n\r\n0123");
            elsewhere.write(stalled + "http://elsewhere.example\r\n\r\n0123");

            RawHttp.Answer allowed = canvas.read();
            RawHttp.Answer other = elsewhere.read();

            assertThat(allowed.status()).isEqualTo(408);
            assertThat(allowed.header("Access-Control-Allow-Origin")).contains("http://localhost:3000");
            assertThat(allowed.header("Access-Control-Allow-Credentials")).contains("true");
            assertThat(allowed.header("Vary")).contains("Origin");
            assertThat(other.status()).isEqualTo(408);
            assertThat(other.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(other.header("Vary")).contains("Origin");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (Socket caller = connect()) {
            write(
                    caller,
                    "GET /edge/here HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /edge/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            String all = new String(caller.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(all.split("HTTP/1.1 "))
                    .extracting(s -> s.length() < 3 ? s : s.substring(0, 3))
                    .containsExactly("", "200", "404", "200", "200");
            assertThat(all).containsSubsequence("event loop", "no such endpoint", "\"ok\"", "event loop");
        }
    }

    @Test
    void anHttp10RequestWithoutKeepAliveIsAnsweredAndItsConnectionClosed() throws IOException {
        for (String path : List.of("/edge/here", "/health")) {
            try (Socket caller = connect()) {
                write(caller, "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n");

                String all = new String(caller.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

                assertThat(all).as(path).matches("(?s)HTTP/1\\.[01] 200 .*(event loop|\"ok\").*");
            }
        }
    }

    @Test
    void aMalformedRequestIsAJson400AndTheConnectionCloses() throws IOException {
        try (Socket caller = connect()) {
            write(caller, "THIS IS NOT HTTP\r\n\r\n");

            String answer = new String(caller.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
            assertThat(answer)
                    .endsWith("{\"error\":\"malformed HTTP request\",\"hint\":\"send a valid HTTP/1.1 request\"}");
        }
    }

    @Test
    void aBodyWithoutALengthStreamsToJavalinChunkByChunk() throws IOException {
        String description = "a".repeat(900 * 1024);
        byte[] json = ("{\"name\":\"chunked\",\"external\":true,\"role\":\"" + description + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket caller = connect()) {
            write(
                    caller,
                    "POST /workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = caller.getOutputStream();
            for (int at = 0; at < json.length; at += 4096) {
                int size = Math.min(4096, json.length - at);
                out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(json, at, size);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            write(caller, "0\r\n\r\n");

            // Javalin read the whole body and judged it: an answer of the API, not the edge's 408 or 502
            String head = head(caller);
            assertThat(head).containsAnyOf("HTTP/1.1 201", "HTTP/1.1 400").contains("application/json");
        }
    }

    @Test
    void aDeclaredBodyOfFiveMebibytesIsRefusedAtOnceAndTheCallerReadsTheRefusal() throws IOException {
        try (Socket caller = connect()) {
            write(
                    caller,
                    "POST /workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + (5 << 20) + "\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 80; i++) {
                    caller.getOutputStream().write(chunk);
                }
            } catch (IOException refused) {
                // the edge stopped reading once the refusal was out
            }

            assertThat(head(caller)).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void anAnswerJavalinGivesBeforeTheBodyArrivesLeavesTheConnectionUsable() throws IOException {
        String id = externalWorkspace("early").id();
        try (Socket caller = connect()) {
            write(
                    caller,
                    // from a browser (Origin), so the A2A lane leaves it to Javalin, which refuses it from its head
                    "POST /workspaces/" + id + "/a2a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nOrigin: http://elsewhere.example\r\nX-Timeout: 2592001\r\nContent-Length: 10\r\n\r\n");
            String refused = head(caller);
            assertThat(refused).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("connection: close");
            caller.getInputStream().readNBytes(contentLength(refused));

            write(caller, "0123456789GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(head(caller)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws IOException {
        String body = "{\"name\":\"continued\",\"external\":true}";
        try (Socket caller = connect()) {
            write(
                    caller,
                    "POST /workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                            + body.length() + "\r\n\r\n");

            assertThat(head(caller)).startsWith("HTTP/1.1 100");
            write(caller, body);
            assertThat(head(caller)).startsWith("HTTP/1.1 201");
        }
    }

    @Test
    void anEventStreamDeliversItsFirstEventBeforeItEnds() throws Exception {
        External workspace = externalWorkspace("streamed");
        try (EventRecorder feed = EventRecorder.sse(server, workspace.id())) {
            register(workspace);

            await().atMost(Duration.ofSeconds(10)).until(() -> !feed.all().isEmpty());
        }
    }

    @Test
    void theEventFeedIsServedByTheEdgeItselfWithNoWebSocketOnJavalinsSide() throws Exception {
        try (EventRecorder first = EventRecorder.webSocket(server);
                EventRecorder second = EventRecorder.webSocket(server)) {
            External workspace = externalWorkspace("socketed");
            register(workspace);

            for (EventRecorder socket : List.of(first, second)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> socket.all().stream()
                        .anyMatch(e -> e.workspaceId().equals(workspace.id())));
            }
            assertThat(jettyConnector().getConnectedEndPoints())
                    .extracting(e -> e.getConnection().getClass().getSimpleName())
                    .noneMatch(connection -> connection.contains("WebSocket"));
        }
    }

    @Test
    void aBrowsersOfferOfDeflateIsAcceptedAndItsEventsArriveCompressedEachOnItsOwn() {
        try (RawHttp socket = RawHttp.connect(server.url())) {
            socket.write(RawHttp.upgrade(
                    "/ws",
                    "Authorization: Bearer " + TOKEN,
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));

            RawHttp.Answer switching = socket.read();
            assertThat(switching.status()).isEqualTo(101);
            assertThat(switching.header("Sec-WebSocket-Extensions"))
                    .contains("permessage-deflate; server_no_context_takeover");

            External workspace = externalWorkspace("squeezed");
            register(workspace);
            for (int read = 0; ; read++) {
                assertThat(read)
                        .as("frames read before one named the workspace")
                        .isLessThan(1_000);
                RawHttp.Frame frame = socket.readFrame();
                if (frame.opcode() != 0x1) {
                    continue;
                }
                if (frame.text().contains(workspace.id())) {
                    assertThat(frame.compressed())
                            .as("an event of some 200 bytes goes compressed")
                            .isTrue();
                    break;
                }
            }
        }
    }

    @Test
    void aClientThatOffersNoCompressionIsNotAnsweredWithIt() {
        try (RawHttp socket = RawHttp.connect(server.url())) {
            socket.write(RawHttp.upgrade(
                    "/ws", "Authorization: Bearer " + TOKEN, "Sec-WebSocket-Extensions: permessage-deflate; mux"));

            RawHttp.Answer switching = socket.read();

            assertThat(switching.status()).isEqualTo(101);
            assertThat(switching.header("Sec-WebSocket-Extensions")).isEmpty();
        }
    }

    @Test
    void aSubscriberTheEdgeDoesNotAdmitGetsJavalinsJsonRefusal() throws IOException {
        Socket caller = connect();
        write(
                caller,
                "GET /ws?token=wrong HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        assertThat(head(caller)).startsWith("HTTP/1.1 401").contains("application/json");
        caller.close();
    }

    @Test
    void aCallerLeavingAnEventStreamEndsItsConnectionToJavalin() throws IOException {
        External workspace = externalWorkspace("left");
        Set<EndPoint> before = Set.copyOf(jettyConnector().getConnectedEndPoints());
        Socket caller = connect();
        write(
                caller,
                "GET /workspaces/" + workspace.id() + "/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + TOKEN + "\r\n\r\n");
        assertThat(head(caller)).startsWith("HTTP/1.1 200").contains("text/event-stream");
        EndPoint stream = jettyConnector().getConnectedEndPoints().stream()
                .filter(e -> !before.contains(e))
                .findFirst()
                .orElseThrow();

        caller.close();

        // Javalin sees the connection gone when it next writes to it: an event of the stream's workspace
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            register(workspace);
            return !stream.isOpen();
        });
    }

    @Test
    void anAgentsHeartbeatIsTakenOnTheEdgeAndOnlyABrowsersReachesJavalin() {
        External workspace = externalWorkspace("beating");
        register(workspace);
        String body = "{\"workspace_id\":\"" + workspace.id() + "\",\"active_tasks\":0}";
        String heartbeat = "POST /registry/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n";
        int javalinConnections = Set.copyOf(callersSeenByJavalin).size();

        RawHttp.Answer taken = RawHttp.exchange(
                server.url(), heartbeat + "Authorization: Bearer " + workspace.token() + "\r\n\r\n" + body);
        RawHttp.Answer refused =
                RawHttp.exchange(server.url(), heartbeat + "Authorization: Bearer wrong\r\n\r\n" + body);

        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.json().get("status").asText()).isEqualTo("ok");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid workspace auth token");
        assertThat(Set.copyOf(callersSeenByJavalin)).hasSize(javalinConnections);

        RawHttp.Answer fromABrowser = RawHttp.exchange(
                server.url(),
                heartbeat + "Origin: http://elsewhere.example\r\nAuthorization: Bearer " + workspace.token()
                        + "\r\n\r\n" + body);
        assertThat(fromABrowser.status()).isEqualTo(200);
        assertThat(Set.copyOf(callersSeenByJavalin)).hasSizeGreaterThan(javalinConnections);
    }

    private static ServerConnector jettyConnector() {
        return (ServerConnector) server.server.jetty().getConnectors()[0];
    }

    /** An external workspace's id and its agent's token. */
    private record External(String id, String token) {}

    private static External externalWorkspace(String name) {
        var created = server.api
                .post("/workspaces", Map.of("name", name, "external", true))
                .json();
        return new External(
                created.get("id").asText(),
                created.get("connection").get("auth_token").asText());
    }

    /** The workspace's agent registers: an event on every stream. */
    private static void register(External workspace) {
        ApiClient.Reply r = new ApiClient(server.url(), workspace.token())
                .post(
                        "/registry/register",
                        Map.of("id", workspace.id(), "url", "http://127.0.0.1:9", "agent_card", Map.of("name", "x")));
        assertThat(r.status()).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", URI.create(server.url()).getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static int contentLength(String head) {
        return head.lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l ->
                        Integer.parseInt(l.substring("content-length:".length()).trim()))
                .findFirst()
                .orElseThrow();
    }

    /** Reads an answer's head, up to its blank line. */
    private static String head(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return head.toString();
    }

    /** Answers {@code GET /edge/here} itself, saying whether it runs on the connection's event loop. */
    private static final class Here implements EdgeRoute {
        @Override
        public boolean claims(HttpRequest head) {
            return head.uri().equals("/edge/here");
        }

        @Override
        public int maxBodyBytes() {
            return 0;
        }

        @Override
        public void serve(EdgeExchange exchange) {
            answer(
                    exchange,
                    HttpResponseStatus.OK,
                    "served on the event loop: "
                            + exchange.channel().eventLoop().inEventLoop());
        }
    }

    /** Claims any request with {@code X-Relay} and hands it to Javalin. */
    private static final class RelaysWhenAsked implements EdgeRoute {
        @Override
        public boolean claims(HttpRequest head) {
            return head.headers().contains("X-Relay");
        }

        @Override
        public int maxBodyBytes() {
            return 1024;
        }

        @Override
        public void serve(EdgeExchange exchange) {
            exchange.relay();
        }
    }

    /** Answers {@code POST /edge/size} with the size of the body it was given; over 16 bytes is a 413. */
    private static final class CountsBytes implements EdgeRoute {
        @Override
        public boolean claims(HttpRequest head) {
            return head.method().equals(HttpMethod.POST) && head.uri().equals("/edge/size");
        }

        @Override
        public int maxBodyBytes() {
            return 16;
        }

        @Override
        public void serve(EdgeExchange exchange) {
            int size = exchange.request().content().readableBytes();
            answer(
                    exchange,
                    size > maxBodyBytes() ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.OK,
                    size + " bytes");
        }
    }

    private static void answer(EdgeExchange exchange, HttpResponseStatus status, String text) {
        FullHttpResponse answer = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes());
        var _ = exchange.channel().writeAndFlush(answer);
    }
}
