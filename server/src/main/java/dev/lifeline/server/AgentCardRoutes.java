package dev.lifeline.server;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.AgentCards;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The agent-card routes: a workspace's card with its endpoint pointing at this proxy. The calls
 * themselves, {@code POST /workspaces/{id}/a2a}, are served by {@link A2aEndpoint} in front of
 * Javalin.
 *
 * <p>The card is served with the caching headers of A2A 1.0 §8.6: an {@code ETag} of the bytes served
 * (weak, as the same card may go out compressed), which an {@code If-None-Match} naming it turns into
 * a 304, and a {@code Cache-Control} of
 * {@link #MAX_AGE}. Lifeline keeps the card the agent registered, not the agent's caching headers, so
 * it uses a short age of its own: no longer than the reference agent's, and a re-registered card is
 * seen within it.
 */
final class AgentCardRoutes {
    /** How long a client may reuse a card before asking again. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final WorkspaceService workspaces;
    private final Auth auth;
    private final String platformUrl;
    private final boolean cardsPublic;

    /**
     * @param platformUrl where clients reach Lifeline; never taken from a request's {@code Host}
     * @param cardsPublic whether the cards are served without a token
     */
    AgentCardRoutes(WorkspaceService workspaces, Auth auth, String platformUrl, boolean cardsPublic) {
        this.workspaces = workspaces;
        this.auth = auth;
        this.platformUrl = platformUrl;
        this.cardsPublic = cardsPublic;
    }

    void install(JavalinConfig config) {
        config.routes.get("/workspaces/{id}/.well-known/agent-card.json", this::card);
        config.routes.get("/workspaces/{id}/.well-known/agent.json", this::card);
    }

    /** The agent's card with every endpoint pointing at this proxy, so A2A clients use Lifeline. */
    private void card(Context ctx) {
        if (!cardsPublic) {
            auth.requireAdmin(ctx);
        }
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        Workspace w = workspaces.findLive(id);
        if (w.agentCard() == null) {
            throw new ConflictException("the agent of this workspace has not registered its card yet; retry shortly");
        }
        String proxyUrl = platformUrl + "/workspaces/" + id + "/a2a";
        byte[] card = AgentCards.pointAt(w.agentCard(), proxyUrl).getBytes(StandardCharsets.UTF_8);
        String etag = ETags.of(card);
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", (cardsPublic ? "public" : "private") + ", max-age=" + MAX_AGE.toSeconds());
        if (ETags.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(card);
    }
}
