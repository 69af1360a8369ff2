package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.A2aProxy;
import dev.lifeline.proxy.ProxyReply;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /workspaces/{id}/a2a}: authenticates the caller and hands the call to the proxy. */
final class A2aRoutes {
    private static final Logger log = LoggerFactory.getLogger(A2aRoutes.class);
    private static final List<String> SYSTEM_PREFIXES = List.of("system:", "webhook:", "test:", "channel:");
    private static final List<String> PASSED_HEADERS = List.of("A2A-Version", "A2A-Extensions", "Accept");

    private final A2aProxy proxy;
    private final Auth auth;

    A2aRoutes(A2aProxy proxy, Auth auth) {
        this.proxy = proxy;
        this.auth = auth;
    }

    void install(JavalinConfig config) {
        config.routes.post("/workspaces/{id}/a2a", this::forward);
    }

    private void forward(Context ctx) throws IOException {
        WorkspaceId target = WorkspaceRoutes.id(ctx);
        authenticateCaller(ctx);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        switch (proxy.forward(target, ctx.bodyAsBytes(), headers)) {
            case ProxyReply.Relayed r ->
                ctx.status(r.status()).contentType(r.contentType()).result(r.body());
            case ProxyReply.Refused r -> {
                r.headers().forEach(ctx::header);
                ctx.status(r.status()).contentType("application/json").result(Json.write(r.body()));
            }
            case ProxyReply.Streamed s -> stream(ctx, s);
        }
    }

    /** Canvas and operator calls carry the admin token; agents carry their own id and token. */
    private void authenticateCaller(Context ctx) {
        String caller = ctx.header("X-Workspace-ID");
        if (caller == null || caller.isBlank()) {
            auth.requireAdmin(ctx);
            return;
        }
        String lower = caller.toLowerCase(Locale.ROOT);
        if (SYSTEM_PREFIXES.stream().anyMatch(lower::startsWith)) {
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
    }

    private static void stream(Context ctx, ProxyReply.Streamed s) throws IOException {
        ctx.status(s.status());
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        byte[] buffer = new byte[8192];
        try (InputStream in = s.body()) {
            OutputStream out = ctx.res().getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            log.info("stream ended early: {}", e.toString());
        }
    }
}
