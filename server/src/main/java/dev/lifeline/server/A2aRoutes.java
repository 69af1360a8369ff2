package dev.lifeline.server;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.A2aProxy;
import dev.lifeline.proxy.AgentCards;
import dev.lifeline.proxy.CallOptions;
import dev.lifeline.proxy.ProxyReply;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code POST /workspaces/{id}/a2a}: authenticates the caller and hands the call to the proxy. */
final class A2aRoutes {
    private static final List<String> PASSED_HEADERS = List.of("A2A-Version", "A2A-Extensions", "Accept");

    private final A2aProxy proxy;
    private final WorkspaceService workspaces;
    private final Auth auth;

    A2aRoutes(A2aProxy proxy, WorkspaceService workspaces, Auth auth) {
        this.proxy = proxy;
        this.workspaces = workspaces;
        this.auth = auth;
    }

    void install(JavalinConfig config) {
        config.routes.post("/workspaces/{id}/a2a", this::forward);
        config.routes.get("/workspaces/{id}/.well-known/agent-card.json", this::card);
        config.routes.get("/workspaces/{id}/.well-known/agent.json", this::card);
    }

    /** The agent's card with every endpoint pointing at this proxy, so A2A clients use Lifeline. */
    private void card(Context ctx) {
        auth.requireAdmin(ctx);
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        Workspace w = workspaces.findLive(id);
        if (w.agentCard() == null) {
            throw new ConflictException("the agent of this workspace has not registered its card yet; retry shortly");
        }
        String proxyUrl = ctx.scheme() + "://" + ctx.host() + "/workspaces/" + id + "/a2a";
        ctx.contentType("application/json").result(AgentCards.pointAt(w.agentCard(), proxyUrl));
    }

    private void forward(Context ctx) throws IOException {
        WorkspaceId target = WorkspaceRoutes.id(ctx);
        WorkspaceId caller = authenticateCaller(ctx);
        CallOptions options = CallOptions.from(caller, timeoutSeconds(ctx));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        switch (proxy.forward(target, ctx.bodyAsBytes(), headers, options)) {
            case ProxyReply.Relayed r ->
                ctx.status(r.status()).contentType(r.contentType()).result(r.body());
            case ProxyReply.Refused r -> {
                r.headers().forEach(ctx::header);
                ctx.status(r.status()).contentType("application/json").result(Json.write(r.body()));
            }
            case ProxyReply.Streamed s -> stream(ctx, s);
        }
    }

    /** {@code X-Timeout}: whole seconds; 0 or absent means the default rule. */
    private static long timeoutSeconds(Context ctx) {
        String value = ctx.header("X-Timeout");
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(
                    "X-Timeout must be a whole number of seconds",
                    "send X-Timeout: 120, or 0 for no deadline of your own");
        }
    }

    /**
     * Canvas and operator calls carry the admin token (caller null); agents carry their own id and
     * token (caller = their id).
     */
    private @Nullable WorkspaceId authenticateCaller(Context ctx) {
        String caller = ctx.header("X-Workspace-ID");
        if (caller == null || caller.isBlank()) {
            auth.requireAdmin(ctx);
            return null;
        }
        if (CallOptions.isSystemId(caller)) {
            throw UnauthorizedException.forbidden("invalid caller ID");
        }
        WorkspaceId callerId = WorkspaceId.parse(caller.trim());
        TokenGrant grant = Auth.bearer(ctx)
                .flatMap(t -> auth.isAdmin(t) ? java.util.Optional.<TokenGrant>empty() : java.util.Optional.of(t))
                .map(t -> auth.requireWorkspaceToken(ctx))
                .orElseThrow(() -> UnauthorizedException.missing("missing caller auth token"));
        if (!grant.workspaceId().equals(callerId)) {
            throw UnauthorizedException.missing("invalid caller auth token");
        }
        return callerId;
    }

    private static void stream(Context ctx, ProxyReply.Streamed s) throws IOException {
        ctx.status(s.status());
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        s.relay().relay(ctx.res().getOutputStream());
    }
}
