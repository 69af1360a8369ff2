package dev.lifeline.testkit.controlplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy in front of an agent, as a cloud load balancer or ingress is: it relays every
 * request, and when the agent behind it is gone it answers an opaque {@code 502 Bad Gateway} HTML
 * page, exactly what made dead agents look like hiccups in the reference.
 */
public final class FakeGateway implements AutoCloseable {
    private static final Set<String> NOT_RELAYED =
            Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade", "http2-settings");
    static final String BAD_GATEWAY_PAGE =
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final URI target;

    private FakeGateway(InetSocketAddress listen, java.util.function.IntFunction<URI> targetOfPort) throws IOException {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.server = HttpServer.create(listen, 0);
        server.setExecutor(threads);
        server.createContext("/", this::relay);
        this.target = targetOfPort.apply(server.getAddress().getPort());
        server.start();
    }

    /** A gateway listening on {@code listen} that relays to {@code target} (scheme, host and port). */
    public static FakeGateway start(InetSocketAddress listen, URI target) throws IOException {
        return new FakeGateway(listen, port -> target);
    }

    /**
     * A gateway on a free port of {@code listen}'s address that relays to the same port on {@code
     * agentHost}: the agent binds {@code agentHost:port()} and advertises the gateway's address.
     */
    public static FakeGateway samePortOn(java.net.InetAddress listen, String agentHost) throws IOException {
        return new FakeGateway(
                new InetSocketAddress(listen, 0), port -> URI.create("http://" + agentHost + ":" + port));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                badGateway(exchange);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                badGateway(exchange);
                return;
            }
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders()
                    .set("Content-Type", t));
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static void badGateway(HttpExchange exchange) throws IOException {
        byte[] page = BAD_GATEWAY_PAGE.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(502, page.length);
        exchange.getResponseBody().write(page);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
