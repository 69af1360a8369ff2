package dev.lifeline.server;

import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.supervisor.Backends;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /workspaces}: create, list, read, patch, restart, hibernate, remove, console, activity. */
final class WorkspaceRoutes {
    private final WorkspaceService workspaces;
    private final Backends backends;
    private final Auth auth;
    private final String defaultBackend;
    private final WorkspaceStore store;

    WorkspaceRoutes(
            WorkspaceService workspaces, WorkspaceStore store, Backends backends, Auth auth, String defaultBackend) {
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
        config.routes.get("/workspaces/{id}/activity", this::activity);
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        List<Map<String, ?>> views = workspaces.list().stream()
                .<Map<String, ?>>map(WorkspaceView::of)
                .toList();
        ctx.contentType("application/json").result(Json.write(views));
    }

    private void create(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace created = workspaces.create(
                WorkspaceRequests.create(Json.object(ctx.bodyAsBytes(), "send {\"name\": \"...\"}"), defaultBackend));
        ctx.status(201).contentType("application/json").result(Json.write(WorkspaceView.of(created)));
    }

    private void get(Context ctx) {
        auth.requireAdmin(ctx);
        ctx.contentType("application/json").result(Json.write(WorkspaceView.of(workspaces.findLive(id(ctx)))));
    }

    private void delete(Context ctx) {
        auth.requireAdmin(ctx);
        boolean stopped = workspaces.remove(id(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        if (stopped) {
            body.put("status", "removed");
            body.put("cascade_deleted", 0);
            ctx.status(200);
        } else {
            body.put("error", "workspace marked removed, but 1 stop call(s) failed — please retry");
            body.put("removed_count", 1);
            body.put("stop_failures", 1);
            ctx.status(500);
        }
        ctx.contentType("application/json").result(Json.write(body));
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

    /** The latest A2A calls received by the workspace, newest first. */
    private void activity(Context ctx) {
        auth.requireAdmin(ctx);
        Workspace w = workspaces.findLive(id(ctx));
        List<Map<String, ?>> rows = store.recentActivity(w.id(), 100).stream()
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
