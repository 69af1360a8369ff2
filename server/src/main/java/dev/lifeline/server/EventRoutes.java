package dev.lifeline.server;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Events: the persisted log ({@code GET /events}), SSE per workspace, and the WebSocket feed. */
final class EventRoutes {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final EventBus bus;
    private final WorkspaceStore store;
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final Map<WsContext, EventBus.Subscription> sockets = new ConcurrentHashMap<>();

    EventRoutes(EventBus bus, WorkspaceStore store, WorkspaceService workspaces, Auth auth) {
        this.bus = bus;
        this.store = store;
        this.workspaces = workspaces;
        this.auth = auth;
    }

    void install(JavalinConfig config) {
        config.routes.get("/events", ctx -> recent(ctx, null));
        config.routes.get("/events/{id}", ctx -> recent(ctx, WorkspaceRoutes.id(ctx)));
        config.routes.get("/workspaces/{id}/events/stream", this::sse);
        config.routes.wsBeforeUpgrade("/ws", ctx -> ApiErrors.beforeUpgrade(ctx, auth::requireAdminOnEventStream));
        config.routes.ws("/ws", ws -> {
            ws.onConnect(ctx -> sockets.put(ctx, bus.subscribe(e -> ctx.send(wsEnvelope(e)))));
            ws.onClose(ctx -> close(ctx));
            ws.onError(ctx -> close(ctx));
        });
    }

    private void close(WsContext ctx) {
        EventBus.Subscription s = sockets.remove(ctx);
        if (s != null) {
            s.close();
        }
    }

    private void recent(Context ctx, @Nullable WorkspaceId id) {
        auth.requireAdmin(ctx);
        List<Map<String, Object>> events =
                store.recentEvents(id, 100).stream().map(EventRoutes::stored).toList();
        ctx.contentType("application/json").result(Json.write(events));
    }

    /** Streams one workspace's events until the client goes away, with keep-alive comments. */
    private void sse(Context ctx) throws IOException {
        auth.requireAdminOnEventStream(ctx);
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        workspaces.find(id);
        BlockingQueue<PublishedEvent> queue = new ArrayBlockingQueue<>(64);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        try (EventBus.Subscription _ = bus.subscribe(e -> {
            if (e.event().workspaceId().equals(id)) {
                queue.offer(e);
            }
        })) {
            write(out, ": ping\n\n");
            while (true) {
                PublishedEvent e = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                write(out, e == null ? ": keep-alive\n\n" : "data: " + sseEnvelope(e) + "\n\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // The subscriber disconnected; the subscription is closed above.
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String wsEnvelope(PublishedEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.event().type());
        m.put("workspace_id", e.event().workspaceId().toString());
        m.put("timestamp", e.at().toString());
        m.put("payload", e.event().payload());
        return Json.write(m);
    }

    static String sseEnvelope(PublishedEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.event().type());
        m.put("timestamp", e.at().toEpochMilli());
        m.put("data", e.event().payload());
        return Json.write(m);
    }

    private static Map<String, Object> stored(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("event_type", e.type());
        m.put("workspace_id", e.workspaceId().toString());
        m.put("payload", new dev.lifeline.core.RawJson(e.payloadJson()));
        m.put("created_at", e.createdAt().toString());
        return m;
    }
}
