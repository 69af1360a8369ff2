package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.IdleOverrides;
import dev.lifeline.proxy.UrlPolicy;
import dev.lifeline.supervisor.AgentRegistry;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /registry}: agents register and heartbeat with their workspace token. The token is checked
 * before anything else, so a caller without the right one learns nothing, not even whether the
 * workspace exists.
 */
final class RegistryRoutes {
    private final AgentRegistry registry;
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final IdleOverrides idleOverrides;
    private final UrlPolicy urlPolicy;

    RegistryRoutes(
            AgentRegistry registry,
            WorkspaceService workspaces,
            Auth auth,
            IdleOverrides idleOverrides,
            UrlPolicy urlPolicy) {
        this.urlPolicy = urlPolicy;
        this.registry = registry;
        this.workspaces = workspaces;
        this.auth = auth;
        this.idleOverrides = idleOverrides;
    }

    void install(JavalinConfig config) {
        config.routes.post("/registry/register", this::register);
        config.routes.post("/registry/heartbeat", this::heartbeat);
    }

    private void register(Context ctx) {
        TokenGrant grant = auth.requireWorkspaceToken(ctx);
        RegistryRequests.Registration r =
                RegistryRequests.registration(Json.object(ctx.bodyAsBytes(), RegistryRequests.REGISTER_HINT));
        requireOwn(grant, r.id());
        Workspace w = workspaces.findLive(r.id());
        // A URL from Lifeline's own backend is trusted; one only the agent vouches for is checked, and
        // the address that passed the check is the one stored and connected to.
        String routable = w.endpoint().isPresent()
                ? r.url()
                : urlPolicy.check(r.url()).connectUri().toString();
        registry.register(r.id(), grant, routable, Json.tree(r.agentCard()));
        ctx.contentType("application/json").result(Json.write(Map.of("status", "registered")));
    }

    private void heartbeat(Context ctx) {
        TokenGrant grant = auth.requireWorkspaceToken(ctx);
        RegistryRequests.Beat beat =
                RegistryRequests.heartbeat(Json.object(ctx.bodyAsBytes(), RegistryRequests.HEARTBEAT_HINT));
        requireOwn(grant, beat.id());
        registry.heartbeat(beat.id(), grant, beat.heartbeat());
        idleOverrides.set(beat.id(), beat.idleTimeout());
        ctx.contentType("application/json").result(Json.write(Map.of("status", "ok")));
    }

    /** A token opens its own workspace only; any other id gets the same answer as a wrong token. */
    private static void requireOwn(TokenGrant grant, WorkspaceId id) {
        if (!grant.workspaceId().equals(id)) {
            throw UnauthorizedException.missing("invalid workspace auth token");
        }
    }
}
