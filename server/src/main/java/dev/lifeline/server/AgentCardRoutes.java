package dev.lifeline.server;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.AgentCards;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * The agent-card routes: a workspace's card with its endpoint pointing at this proxy. The calls
 * themselves, {@code POST /workspaces/{id}/a2a}, are served by {@link A2aEndpoint} in front of
 * Javalin.
 */
final class AgentCardRoutes {
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final String platformUrl;

    /** @param platformUrl where clients reach Lifeline; never taken from a request's {@code Host} */
    AgentCardRoutes(WorkspaceService workspaces, Auth auth, String platformUrl) {
        this.workspaces = workspaces;
        this.auth = auth;
        this.platformUrl = platformUrl;
    }

    void install(JavalinConfig config) {
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
        String proxyUrl = platformUrl + "/workspaces/" + id + "/a2a";
        ctx.contentType("application/json").result(AgentCards.pointAt(w.agentCard(), proxyUrl));
    }
}
