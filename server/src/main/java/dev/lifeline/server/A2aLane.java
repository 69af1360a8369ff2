package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.CallOptions;
import dev.lifeline.proxy.FastLane;
import dev.lifeline.proxy.PassedHeaders;
import dev.lifeline.proxy.ProxyConfig;
import dev.lifeline.server.edge.EdgeExchange;
import dev.lifeline.server.edge.EdgeRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /workspaces/{id}/a2a} served on the edge's event loop when the call is a common one
 * (see {@link FastLane#admit}): no browser (no {@code Origin}, no cookie), the admin bearer or an
 * agent whose token is known in memory, no {@code Prefer}, a valid {@code X-Timeout}, a plain-http
 * agent whose address is known. Every other call, and every call that would be refused, is relayed
 * before anything is written, and {@link A2aEndpoint} answers it as it always did; so the errors of
 * this route all come from one place.
 */
final class A2aLane implements EdgeRoute {
    /** Who calls: the operator (no workspace) or an agent; null when this lane cannot tell without blocking. */
    private record Caller(@Nullable WorkspaceId id) {}

    private static final Caller OPERATOR = new Caller(null);

    private final FastLane lane;
    private final Auth auth;
    private final int maxRequestBytes;
    private final long headerTimeoutMillis;
    private final Executor blocking;
    private final AgentEndpoints endpoints;
    private final AgentConnections connections;
    private final Function<Channel, EventLoop> loopOf;

    /**
     * @param blocking where the proxy's blocking judgements run (virtual threads)
     * @param loopOf the event loop a caller's upstream connections live on: its own, in the server
     */
    A2aLane(FastLane lane, Auth auth, ProxyConfig config, Executor blocking, Function<Channel, EventLoop> loopOf) {
        this.lane = lane;
        this.auth = auth;
        this.maxRequestBytes = config.maxRequestBytes();
        this.headerTimeoutMillis = config.responseHeaderTimeout().toMillis();
        this.blocking = blocking;
        this.endpoints = new AgentEndpoints(blocking, System::nanoTime);
        this.connections = new AgentConnections(config.connectTimeout(), config.connectTimeout());
        this.loopOf = loopOf;
    }

    @Override
    public boolean claims(HttpRequest head) {
        // a browser's call (CORS, the session cookie) and one that may wait (Prefer) go to Javalin with their
        // bodies streamed, unread here
        HttpHeaders headers = head.headers();
        return HttpMethod.POST.equals(head.method())
                && A2aEndpoint.workspaceOf(path(head.uri())) != null
                && !headers.contains(HttpHeaderNames.ORIGIN)
                && !headers.contains(HttpHeaderNames.COOKIE)
                && !headers.contains("Prefer");
    }

    @Override
    public int maxBodyBytes() {
        return maxRequestBytes;
    }

    @Override
    public void serve(EdgeExchange exchange) {
        Optional<FastLane.Call> call = admit(exchange.request());
        Optional<AgentEndpoints.Endpoint> endpoint = call.flatMap(c -> endpoints.of(c.endpoint()));
        if (call.isEmpty() || endpoint.isEmpty()) {
            exchange.relay();
            return;
        }
        AgentCall upstream =
                new AgentCall(lane, call.get(), exchange, endpoint.get(), connections, blocking, headerTimeoutMillis);
        EventLoop loop = loopOf.apply(exchange.channel());
        if (loop.inEventLoop()) {
            upstream.start(loop);
        } else {
            loop.execute(() -> upstream.start(loop));
        }
    }

    /** The call, when this lane takes it; anything unusual or refused is left to {@link A2aEndpoint}. */
    private Optional<FastLane.Call> admit(FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        ByteBuf content = request.content();
        if (headers.contains(HttpHeaderNames.ORIGIN)
                || headers.contains(HttpHeaderNames.COOKIE)
                || headers.contains("Prefer")
                || content.readableBytes() > maxRequestBytes) {
            return Optional.empty();
        }
        try {
            String id = A2aEndpoint.workspaceOf(path(request.uri()));
            Optional<Caller> caller = caller(headers);
            if (id == null || caller.isEmpty()) {
                return Optional.empty();
            }
            long timeout = A2aEndpoint.timeoutSeconds(headers.get("X-Timeout"));
            return lane.admit(
                    WorkspaceId.parse(id), caller.get().id(), timeout, ByteBufUtil.getBytes(content), passed(headers));
        } catch (RuntimeException refused) {
            return Optional.empty(); // the blocking way answers it, from the one table of errors
        }
    }

    /** The caller, when its credentials are settled from memory: the admin bearer, or an agent's known token. */
    private Optional<Caller> caller(HttpHeaders headers) {
        Optional<String> token = Auth.bearer(headers.get(HttpHeaderNames.AUTHORIZATION));
        String workspace = headers.get("X-Workspace-ID");
        if (token.isEmpty()) {
            return Optional.empty();
        }
        if (workspace == null || workspace.isBlank()) {
            return auth.isAdmin(token.get()) ? Optional.of(OPERATOR) : Optional.empty();
        }
        if (CallOptions.isSystemId(workspace) || auth.isAdmin(token.get())) {
            return Optional.empty();
        }
        WorkspaceId id = WorkspaceId.parse(workspace.trim());
        Optional<TokenGrant> grant = auth.knownGrant(token.get());
        return grant.isPresent() && grant.get().workspaceId().equals(id)
                ? Optional.of(new Caller(id))
                : Optional.empty();
    }

    private static Map<String, String> passed(HttpHeaders headers) {
        Map<String, String> passed = new HashMap<>(8);
        for (String name : PassedHeaders.REQUEST) {
            String value = headers.get(name);
            if (value != null) {
                passed.put(name, value);
            }
        }
        return passed;
    }

    /** The request's path, without its query: what a route matches and what a log line may name. */
    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
