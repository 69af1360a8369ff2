package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.IdleOverrides;
import dev.lifeline.proxy.UrlPolicy;
import dev.lifeline.supervisor.AgentRegistry;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code /registry}: agents register and heartbeat with their workspace token. */
final class RegistryRoutes {
    private static final String REGISTER_HINT = "send {\"id\", \"url\", \"agent_card\"}";
    private static final String HEARTBEAT_HINT = "send {\"workspace_id\", \"error_rate\", \"active_tasks\", ...}";

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
        JsonNode body = Json.object(ctx.bodyAsBytes(), REGISTER_HINT);
        WorkspaceId id = WorkspaceId.parse(required(body, "id", REGISTER_HINT));
        String url = required(body, "url", REGISTER_HINT);
        JsonNode card = body.get("agent_card");
        if (card == null || !card.isObject()) {
            throw new InvalidRequestException("agent_card must be a JSON object", REGISTER_HINT);
        }
        Workspace w = workspaces.findLive(id);
        TokenGrant grant = auth.requireWorkspaceToken(ctx);
        // A URL from Lifeline's own backend is trusted; one only the agent vouches for is checked, and
        // the address that passed the check is the one stored and connected to.
        String routable = w.endpoint().isPresent()
                ? url
                : urlPolicy.check(url).connectUri().toString();
        registry.register(id, grant, routable, Json.tree(card));
        ctx.contentType("application/json").result(Json.write(Map.of("status", "registered")));
    }

    private void heartbeat(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes(), HEARTBEAT_HINT);
        WorkspaceId id = WorkspaceId.parse(required(body, "workspace_id", HEARTBEAT_HINT));
        workspaces.findLive(id);
        TokenGrant grant = auth.requireWorkspaceToken(ctx);
        Heartbeat beat = new Heartbeat(
                body.path("error_rate").asDouble(0),
                optional(body, "sample_error"),
                body.path("active_tasks").asInt(0),
                body.path("uptime_seconds").asLong(0),
                optional(body, "current_task"),
                Math.clamp(body.path("monthly_spend").asLong(0), 0, 1_000_000_000_000L));
        registry.heartbeat(id, grant, beat);
        JsonNode idle = body.path("runtime_metadata").path("idle_timeout_seconds");
        idleOverrides.set(id, idle.canConvertToLong() ? Duration.ofSeconds(idle.asLong()) : null);
        ctx.contentType("application/json").result(Json.write(Map.of("status", "ok")));
    }

    private static String required(JsonNode body, String field, String hint) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidRequestException(field + " is required and must be a string", hint);
        }
        return v.asText();
    }

    private static @Nullable String optional(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
