package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Records what a canvas sees: the WebSocket feed, or one workspace's SSE stream. */
final class EventRecorder implements AutoCloseable {
    /** One received event: its name, workspace and payload, and the frame's text as it arrived. */
    record Seen(String type, String workspaceId, JsonNode payload, String frame) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AutoCloseable connection;

    private EventRecorder(java.util.function.Function<List<Seen>, AutoCloseable> connect) {
        this.connection = connect.apply(seen);
    }

    /** Subscribes to {@code GET /ws} and waits until the socket is open. */
    static EventRecorder webSocket(TestServer server) {
        return webSocket(
                URI.create("ws://127.0.0.1:" + server.server.port() + "/ws"),
                java.util.Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN));
    }

    /** Subscribes to the WebSocket at {@code uri}, sending {@code headers}, and waits until it is open. */
    static EventRecorder webSocket(URI uri, java.util.Map<String, String> headers) {
        return new EventRecorder(sink -> {
            java.util.concurrent.CountDownLatch ponged = new java.util.concurrent.CountDownLatch(1);
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            headers.forEach(builder::header);
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onPong(WebSocket ws, java.nio.ByteBuffer message) {
                            ponged.countDown();
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                String frame = text.toString();
                                JsonNode e = lenient(frame);
                                sink.add(new Seen(
                                        e.path("event").asText(),
                                        e.path("workspace_id").asText(),
                                        e.path("payload"),
                                        frame));
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    })
                    .join();
            // The server subscribes in its connect handler, before it reads frames: a pong proves it.
            socket.sendPing(java.nio.ByteBuffer.wrap(new byte[] {1})).join();
            try {
                ponged.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return () -> socket.abort();
        });
    }

    /** Reads {@code GET /workspaces/{id}/events/stream} on a virtual thread. */
    static EventRecorder sse(TestServer server, String workspaceId) {
        return sse(server.url(), TestServer.ADMIN_TOKEN, workspaceId);
    }

    /** Reads {@code GET /workspaces/{id}/events/stream} of the server at {@code baseUrl} with {@code token}. */
    static EventRecorder sse(String baseUrl, String token, String workspaceId) {
        return new EventRecorder(sink -> {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(baseUrl + "/workspaces/" + workspaceId + "/events/stream"))
                    .header("Authorization", "Bearer " + token)
                    .build();
            java.util.concurrent.atomic.AtomicReference<Stream<String>> lines =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
                    lines.set(r.body());
                    r.body().forEach(line -> {
                        if (line.startsWith(": ping")) {
                            connected.countDown();
                        }
                        if (line.startsWith("data: ")) {
                            String frame = line.substring(6);
                            JsonNode e = lenient(frame);
                            sink.add(new Seen(e.path("type").asText(), workspaceId, e.path("data"), frame));
                        }
                    });
                } catch (Exception e) {
                    connected.countDown();
                }
            });
            try {
                connected.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return () -> {
                reader.interrupt();
                Stream<String> s = lines.get();
                if (s != null) {
                    s.close();
                }
                client.close();
            };
        });
    }

    /** The frame read leniently (its first JSON value; of duplicate keys, the last), or nothing. */
    private static JsonNode lenient(String frame) {
        try {
            return Json.MAPPER.readTree(frame);
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Status events ({@code WORKSPACE_*}) of {@code workspaceId}, in arrival order, without heartbeats. */
    List<String> lifecycle(String workspaceId) {
        return types(workspaceId).stream()
                .filter(t -> t.startsWith("WORKSPACE_") && !t.equals("WORKSPACE_HEARTBEAT"))
                .toList();
    }

    /** Every event name of {@code workspaceId}, in arrival order. */
    List<String> types(String workspaceId) {
        return seen.stream()
                .filter(s -> s.workspaceId().equals(workspaceId))
                .map(Seen::type)
                .toList();
    }

    List<Seen> all() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
