package dev.lifeline.server;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The busy queue's routes. Who may call them:
 *
 * <ul>
 *   <li>{@code GET /workspaces/{id}/queue}: the operator (admin token or dashboard session), or the
 *       workspace's own agent (its token);
 *   <li>{@code GET /workspaces/{id}/queue/{queue_id}}: those, and the agent of the workspace that made
 *       the call (its token), which reads its answer there;
 *   <li>{@code POST /admin/a2a-queue/drop-stale?max_age_minutes=N[&workspace_id=]}: the operator only.
 * </ul>
 *
 * Any other token is a 401, and a call of another workspace's queue answers as one that does not exist.
 */
final class QueueRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final long MAX_AGE_MINUTES = Duration.ofDays(365).toMinutes();
    private static final String DROP_HINT =
            "e.g. POST /admin/a2a-queue/drop-stale?max_age_minutes=60&workspace_id=<id>";

    private final CallQueue queue;
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final Clock clock;

    QueueRoutes(CallQueue queue, WorkspaceService workspaces, Auth auth, Clock clock) {
        this.queue = queue;
        this.workspaces = workspaces;
        this.auth = auth;
        this.clock = clock;
    }

    void install(JavalinConfig config) {
        config.routes.get("/workspaces/{id}/queue", this::list);
        config.routes.get("/workspaces/{id}/queue/{queue_id}", this::item);
        config.routes.post("/admin/a2a-queue/drop-stale", this::dropStale);
    }

    private void list(Context ctx) {
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        agentOrOperator(ctx).ifPresent(grant -> requireOwn(grant, id));
        workspaces.findLive(id);
        int limit = bounded(ctx.queryParam("limit"), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, "e.g. ?limit=50");
        List<Map<String, @Nullable Object>> calls =
                queue.list(id, limit).stream().map(QueueRoutes::view).toList();
        ctx.contentType("application/json").result(Json.write(calls));
    }

    private void item(Context ctx) {
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        Optional<TokenGrant> agent = agentOrOperator(ctx);
        long queueId = bounded(
                ctx.pathParam("queue_id"), "queue_id", 1, Long.MAX_VALUE, 0, "use the queue_id of a 202 answer");
        Optional<QueuedCall> call =
                queue.find(id, queueId).filter(c -> agent.isEmpty() || allowed(agent.get(), id, c.caller()));
        if (call.isEmpty()) {
            ApiErrors.send(
                    ctx,
                    new ApiErrors.Answer(
                            404, "queued call not found", "list them at GET /workspaces/" + id + "/queue"));
            return;
        }
        ctx.contentType("application/json").result(Json.write(view(call.get())));
    }

    private void dropStale(Context ctx) {
        auth.requireAdmin(ctx);
        long minutes = bounded(ctx.queryParam("max_age_minutes"), "max_age_minutes", 1, MAX_AGE_MINUTES, 0, DROP_HINT);
        String workspace = ctx.queryParam("workspace_id");
        WorkspaceId only = workspace == null || workspace.isEmpty() ? null : WorkspaceId.parse(workspace);
        Instant now = clock.instant();
        int dropped = queue.dropStale(now.minus(Duration.ofMinutes(minutes)), only, now);
        ctx.contentType("application/json").result(Json.write(Map.of("dropped", dropped)));
    }

    /** A workspace token's grant, or empty for the operator; anything else is a 401. */
    private Optional<TokenGrant> agentOrOperator(Context ctx) {
        Optional<String> token = Auth.bearer(ctx.header("Authorization"));
        if (token.isPresent() && !auth.isAdmin(token.get())) {
            return Optional.of(auth.grantOf(token.get()));
        }
        auth.requireAdmin(ctx);
        return Optional.empty();
    }

    private static boolean allowed(TokenGrant grant, WorkspaceId target, @Nullable String caller) {
        return grant.workspaceId().equals(target)
                || grant.workspaceId().toString().equals(caller);
    }

    private static void requireOwn(TokenGrant grant, WorkspaceId target) {
        if (!grant.workspaceId().equals(target)) {
            throw UnauthorizedException.missing("invalid workspace auth token");
        }
    }

    /**
     * A whole number from {@code min} to {@code max} in a query or path parameter; {@code fallback}
     * when absent, unless it is 0 (then the parameter is required).
     */
    private static long bounded(@Nullable String text, String name, long min, long max, long fallback, String hint) {
        if ((text == null || text.isEmpty()) && fallback != 0) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text == null ? "" : text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name + " must be a whole number from " + min + " to " + max, hint);
    }

    private static int bounded(@Nullable String text, String name, int min, int max, int fallback, String hint) {
        return Math.toIntExact(bounded(text, name, (long) min, max, fallback, hint));
    }

    private static Map<String, @Nullable Object> view(QueuedCall c) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("queue_id", c.id());
        m.put("workspace_id", c.workspaceId().toString());
        m.put("caller_id", c.caller());
        m.put("message_id", c.messageId());
        m.put("state", c.state().wire());
        m.put("priority", c.priority());
        m.put("attempts", c.attempts());
        m.put("enqueued_at", c.enqueuedAt().toString());
        m.put("last_error", c.lastError());
        m.put("reply_status", c.replyStatus());
        String reply = c.replyBody();
        m.put("reply", reply == null ? null : Json.value(reply));
        m.put("finished_at", c.finishedAt() == null ? null : String.valueOf(c.finishedAt()));
        return m;
    }
}
