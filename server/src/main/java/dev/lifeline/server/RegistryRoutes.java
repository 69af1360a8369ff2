package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.IdleOverrides;
import dev.lifeline.proxy.QueueDrainer;
import dev.lifeline.proxy.UrlPolicy;
import dev.lifeline.supervisor.AgentRegistry;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code /registry}: agents register and heartbeat with their workspace token. The token is checked
 * before anything else, so a caller without the right one learns nothing, not even whether the
 * workspace exists. A card update and the list of peers also accept the operator (the admin token),
 * since the canvas calls them.
 */
final class RegistryRoutes {
    /** The answer to a heartbeat that was taken. */
    static final String HEARTBEAT_TAKEN = Json.write(Map.of("status", "ok"));

    private final AgentRegistry registry;
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final IdleOverrides idleOverrides;
    private final UrlPolicy urlPolicy;
    private final String platformUrl;
    private final QueueDrainer drainer;

    /**
     * @param platformUrl where agents reach Lifeline; a peer's {@code url} is its address on this proxy
     * @param drainer learns each heartbeat's load, and delivers queued calls when it reports room
     */
    RegistryRoutes(
            AgentRegistry registry,
            WorkspaceService workspaces,
            Auth auth,
            IdleOverrides idleOverrides,
            UrlPolicy urlPolicy,
            String platformUrl,
            QueueDrainer drainer) {
        this.drainer = drainer;
        this.urlPolicy = urlPolicy;
        this.platformUrl = platformUrl;
        this.registry = registry;
        this.workspaces = workspaces;
        this.auth = auth;
        this.idleOverrides = idleOverrides;
    }

    void install(JavalinConfig config) {
        config.routes.post("/registry/register", this::register);
        config.routes.post("/registry/heartbeat", this::heartbeat);
        config.routes.post("/registry/update-card", this::updateCard);
        config.routes.get("/registry/{id}/peers", this::peers);
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
        heartbeat(ctx.header("Authorization"), ctx.bodyAsBytes());
        ctx.contentType("application/json").result(HEARTBEAT_TAKEN);
    }

    /**
     * Takes a heartbeat from the agent whose token is in {@code authorization}; the Javalin route and
     * the edge's {@link HeartbeatRoute} both answer {@link #HEARTBEAT_TAKEN} when it returns.
     */
    void heartbeat(@Nullable String authorization, byte[] body) {
        TokenGrant grant = auth.requireWorkspaceToken(authorization);
        RegistryRequests.Beat beat = RegistryRequests.heartbeat(Json.object(body, RegistryRequests.HEARTBEAT_HINT));
        requireOwn(grant, beat.id());
        registry.heartbeat(beat.id(), grant, beat.heartbeat());
        idleOverrides.set(beat.id(), beat.idleTimeout());
        drainer.heartbeat(beat.id(), beat.heartbeat().activeTasks(), beat.capacity(), beat.nativeSession());
    }

    /** Replaces the card, with the workspace's own token or as the operator; a changed card is announced. */
    private void updateCard(Context ctx) {
        Optional<TokenGrant> agent = agentOrOperator(ctx);
        RegistryRequests.CardUpdate u =
                RegistryRequests.cardUpdate(Json.object(ctx.bodyAsBytes(), RegistryRequests.UPDATE_CARD_HINT));
        Map<String, @Nullable Object> card = Json.tree(u.agentCard());
        if (agent.isPresent()) {
            requireOwn(agent.get(), u.id());
            registry.updateCard(u.id(), agent.get(), card);
        } else {
            registry.updateCardAsOperator(u.id(), card);
        }
        ctx.contentType("application/json").result(Json.write(Map.of("status", "updated")));
    }

    /**
     * The workspaces this one may call, for its own agent or the operator; {@code ?q=} keeps those
     * whose name or role contains it (ignoring case). Each {@code url} is the peer's address on this
     * proxy, where calls to it go.
     */
    private void peers(Context ctx) {
        Optional<TokenGrant> agent = agentOrOperator(ctx);
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        agent.ifPresent(grant -> requireOwn(grant, id));
        String q = ctx.queryParam("q");
        String needle = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<Map<String, @Nullable Object>> peers = workspaces.peers(id).stream()
                .filter(w -> needle.isEmpty() || matches(w, needle))
                .map(this::peer)
                .toList();
        ctx.contentType("application/json").result(Json.write(peers));
    }

    private static boolean matches(Workspace w, String needle) {
        String role = w.role();
        return w.name().toLowerCase(Locale.ROOT).contains(needle)
                || (role != null && role.toLowerCase(Locale.ROOT).contains(needle));
    }

    private Map<String, @Nullable Object> peer(Workspace w) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("id", w.id().toString());
        m.put("name", w.name());
        m.put("role", w.role());
        m.put("tier", w.tier());
        m.put("status", w.status().wire());
        m.put("url", platformUrl + "/workspaces/" + w.id() + "/a2a");
        m.put("parent_id", w.parentId() == null ? null : w.parentId().toString());
        m.put("active_tasks", w.activeTasks());
        m.put("agent_card", w.agentCard() == null ? null : Json.value(w.agentCard()));
        return m;
    }

    /**
     * The grant of a workspace token in the {@code Authorization} header, or empty for the operator;
     * anything else is a 401.
     */
    private Optional<TokenGrant> agentOrOperator(Context ctx) {
        Optional<String> token = Auth.bearer(ctx.header("Authorization"));
        if (token.isPresent() && !auth.isAdmin(token.get())) {
            return Optional.of(auth.grantOf(token.get()));
        }
        auth.requireAdmin(ctx);
        return Optional.empty();
    }

    /** A token opens its own workspace only; any other id gets the same answer as a wrong token. */
    private static void requireOwn(TokenGrant grant, WorkspaceId id) {
        if (!grant.workspaceId().equals(id)) {
            throw UnauthorizedException.missing("invalid workspace auth token");
        }
    }
}
