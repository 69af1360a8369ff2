package dev.lifeline.server;

import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.CallQueue;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.proxy.UrlPolicy;
import dev.lifeline.supervisor.Backends;
import dev.lifeline.supervisor.RemoveOutcome;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /workspaces}: create, list, read, patch, restart, hibernate, pause, resume, remove, console,
 * activity.
 */
final class WorkspaceRoutes {
    private final WorkspaceService workspaces;
    private final Backends backends;
    private final Auth auth;
    private final String defaultBackend;
    private final WorkspaceStore store;
    private final UrlPolicy urlPolicy;
    private final String platformUrl;
    /** Each workspace's JSON says how many calls wait in its busy queue ({@code queue_depth}). */
    private final CallQueue queue;

    /** @param platformUrl where agents reach Lifeline; never taken from a request's {@code Host} */
    WorkspaceRoutes(
            WorkspaceService workspaces,
            WorkspaceStore store,
            Backends backends,
            Auth auth,
            String defaultBackend,
            UrlPolicy urlPolicy,
            String platformUrl,
            CallQueue queue) {
        this.queue = queue;
        this.urlPolicy = urlPolicy;
        this.platformUrl = platformUrl;
        this.workspaces = workspaces;
        this.store = store;
        this.backends = backends;
        this.auth = auth;
        this.defaultBackend = defaultBackend;
    }

    void install(JavalinConfig config) {
        config.routes.get("/workspaces", this::list);
        config.routes.post("/workspaces", this::create);
        config.routes.get("/workspaces/{id}", this::get);
        config.routes.delete("/workspaces/{id}", this::delete);
        config.routes.post("/workspaces/{id}/restart", this::restart);
        config.routes.get("/workspaces/{id}/console", this::console);
        config.routes.patch("/workspaces/{id}", this::patch);
        config.routes.post("/workspaces/{id}/hibernate", this::hibernate);
        config.routes.post("/workspaces/{id}/pause", this::pause);
        config.routes.post("/workspaces/{id}/resume", this::resume);
        config.routes.get("/workspaces/{id}/activity", this::activity);
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        Map<WorkspaceId, Integer> depths = queue.depths();
        List<Map<String, ?>> views = workspaces.list().stream()
                .<Map<String, ?>>map(w -> withDepth(WorkspaceView.of(w), depths.getOrDefault(w.id(), 0)))
                .toList();
        ctx.contentType("application/json").result(Json.write(views));
    }

    private void create(Context ctx) {
        auth.requireAdmin(ctx);
        NewWorkspace spec = WorkspaceRequests.create(
                Json.object(ctx.bodyAsBytes(), "send {\"name\": \"...\"}"),
                defaultBackend,
                url -> urlPolicy.check(url).connectUri().toString());
        Map<String, @Nullable Object> body;
        if (spec.backend().equals(Workspace.EXTERNAL)) {
            WorkspaceService.ExternalWorkspace created = workspaces.createExternal(spec);
            body = WorkspaceView.of(created.workspace());
            body.put("external", true);
            body.put("connection", ExternalConnection.of(created.workspace().id(), platformUrl, created.token()));
        } else {
            body = WorkspaceView.of(workspaces.create(spec));
        }
        ctx.status(201).contentType("application/json").result(Json.write(body));
    }

    private void get(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace w = workspaces.findLive(id(ctx));
        int depth = queue.depths().getOrDefault(w.id(), 0);
        ctx.contentType("application/json").result(Json.write(withDepth(WorkspaceView.of(w), depth)));
    }

    private static Map<String, @Nullable Object> withDepth(Map<String, @Nullable Object> view, int depth) {
        view.put("queue_depth", depth);
        return view;
    }

    /** Removes the workspace and its subtree; live children must be confirmed with {@code ?confirm=true}. */
    private void delete(Context ctx) {
        auth.requireAdmin(ctx);
        RemoveOutcome outcome = workspaces.remove(id(ctx), "true".equals(ctx.queryParam("confirm")));
        Map<String, Object> body = new LinkedHashMap<>();
        switch (outcome) {
            case RemoveOutcome.ConfirmationRequired c -> {
                body.put("status", "confirmation_required");
                body.put(
                        "message",
                        "this workspace has " + c.children().size()
                                + " child workspace(s); repeat with ?confirm=true to remove it with all its descendants");
                body.put(
                        "children",
                        c.children().stream()
                                .map(w -> Map.of("id", w.id().toString(), "name", w.name()))
                                .toList());
                body.put("children_count", c.children().size());
                ctx.status(409);
            }
            case RemoveOutcome.Removed r
            when r.stopFailures() > 0 -> {
                body.put(
                        "error",
                        "workspace marked removed, but " + r.stopFailures() + " stop call(s) failed — please retry");
                body.put("removed_count", r.removedCount());
                body.put("stop_failures", r.stopFailures());
                ctx.status(500);
            }
            case RemoveOutcome.Removed r -> {
                body.put("status", "removed");
                body.put("cascade_deleted", r.cascadeDeleted());
                ctx.status(200);
            }
        }
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** Pauses the workspace and its subtree and stops their instances. */
    private void pause(Context ctx) {
        auth.requireAdmin(ctx);
        int paused = workspaces.pause(id(ctx));
        ctx.contentType("application/json").result(Json.write(Map.of("status", "paused", "paused_count", paused)));
    }

    /** Starts the next generation of the paused workspace and its paused descendants. */
    private void resume(Context ctx) {
        auth.requireAdmin(ctx);
        int resumed = workspaces.resume(id(ctx));
        ctx.contentType("application/json")
                .result(Json.write(Map.of("status", "provisioning", "resumed_count", resumed)));
    }

    private void restart(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace w = workspaces.restart(id(ctx));
        ctx.contentType("application/json")
                .result(Json.write(Map.of("status", w.status().wire(), "generation", w.generation())));
    }

    private void patch(Context ctx) {
        auth.requireAdmin(ctx);
        WorkspaceId id = id(ctx);
        workspaces.update(id, WorkspaceRequests.patch(Json.object(ctx.bodyAsBytes(), "send the fields to change")));
        ctx.contentType("application/json").result(Json.write(Map.of("status", "updated")));
    }

    private void hibernate(Context ctx) {
        auth.requireAdmin(ctx);
        workspaces.hibernate(id(ctx), "true".equals(ctx.queryParam("force")));
        ctx.contentType("application/json").result(Json.write(Map.of("status", "hibernated")));
    }

    /** The A2A calls received by the workspace, newest first, as the query selects them. */
    private void activity(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace w = workspaces.findLive(id(ctx));
        ActivityQuery query = ActivityRequests.query(
                w.id(), ctx.queryParam("type"), ctx.queryParam("source"), ctx.queryParam("limit"));
        List<Map<String, ?>> rows = store.activity(query).stream()
                .<Map<String, ?>>map(WorkspaceView::of)
                .toList();
        ctx.contentType("application/json").result(Json.write(rows));
    }

    private void console(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace w = workspaces.findLive(id(ctx));
        String output = "";
        if (!w.external() && w.instanceRef() != null && backends.has(w.backend())) {
            Provisioner p = backends.named(w.backend());
            output = p.console(w.id(), w.instanceRef()).orElse("");
        }
        ctx.contentType("application/json").result(Json.write(Map.of("output", output)));
    }

    static WorkspaceId id(Context ctx) {
        return WorkspaceId.parse(ctx.pathParam("id"));
    }
}
