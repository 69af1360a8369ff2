package dev.lifeline.server;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.server.edge.EdgeRoute;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.jspecify.annotations.Nullable;

/**
 * Events: the persisted log ({@code GET /events}), SSE per workspace, and the WebSocket feed. Each
 * stream is one bus subscription that serialises an event once for all its clients; a subscriber that falls further behind than
 * {@link PendingLimit#DEFAULT} is cut off and counted.
 */
final class EventRoutes {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final int RECENT_EVENTS = 100;
    /** At most this many missed events per read; a client pages on with the last id it got. */
    static final int MISSED_EVENTS = 500;

    private static final PendingLimit PENDING = PendingLimit.DEFAULT;

    private final EventBus bus;
    private final WorkspaceStore store;
    private final WorkspaceService workspaces;
    private final Auth auth;
    private final Metrics metrics;
    private final InstantSource clock;
    private final Map<WsContext, WsFeed> sockets = new ConcurrentHashMap<>();
    private final FanOut<WsFeed.Frame> wsClients = new FanOut<>(WsFeed.Frame::of);
    private final FanOut<byte[]> sseClients = new FanOut<>(SseFeed::frame);

    EventRoutes(
            EventBus bus,
            WorkspaceStore store,
            WorkspaceService workspaces,
            Auth auth,
            Metrics metrics,
            InstantSource clock) {
        this.bus = bus;
        this.store = store;
        this.workspaces = workspaces;
        this.auth = auth;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** {@code /ws} on the edge: the same feed, its subscribers served on the edge's event loops. */
    EdgeRoute wsOnTheEdge() {
        return new WsRoute(
                auth,
                compressed -> EdgeWsSubscriber.handlers(
                        new PendingSends(PENDING, clock),
                        KEEP_ALIVE,
                        wsClients,
                        () -> metrics.subscriberDropped("ws"),
                        compressed));
    }

    /** Subscribes each stream's clients to the bus, once for all of them. */
    void install(JavalinConfig config) {
        // a feed without clients is not woken for the events nobody would be sent
        var _ = bus.subscribe(event -> wsClients.anyone(), wsClients);
        var _ = bus.subscribe(event -> sseClients.anyone(), sseClients);
        config.routes.get("/events", ctx -> recent(ctx, null));
        config.routes.get("/events/{id}", ctx -> recent(ctx, WorkspaceRoutes.id(ctx)));
        config.routes.get("/workspaces/{id}/events/stream", this::sse);
        config.routes.wsBeforeUpgrade("/ws", ctx -> ApiErrors.beforeUpgrade(ctx, auth::requireAdminOnEventStream));
        config.routes.ws("/ws", ws -> {
            ws.onConnect(this::subscribe);
            ws.onClose(ctx -> close(ctx));
            ws.onError(ctx -> close(ctx));
        });
    }

    /** Feeds the socket every event; past its pending limit it is cut off, counted and unsubscribed. */
    private void subscribe(WsContext ctx) {
        WsFeed feed = new WsFeed(ctx.session, new PendingSends(PENDING, clock), () -> {
            metrics.subscriberDropped("ws");
            close(ctx);
        });
        sockets.put(ctx, feed);
        wsClients.add(feed);
    }

    private void close(WsContext ctx) {
        WsFeed feed = sockets.remove(ctx);
        if (feed != null) {
            wsClients.remove(feed);
        }
    }

    /**
     * The newest events, newest first; or, with {@code ?after=<event id>}, those after it, oldest
     * first, so that a client reconnecting to any replica reads what it missed.
     */
    private void recent(Context ctx, @Nullable WorkspaceId id) {
        auth.requireAdmin(ctx);
        String after = ctx.queryParam("after");
        List<StoredEvent> found = after == null
                ? store.recentEvents(id, RECENT_EVENTS)
                : store.eventsAfter(id, eventId(after), MISSED_EVENTS);
        List<Map<String, Object>> events =
                found.stream().map(EventRoutes::stored).toList();
        ctx.contentType("application/json").result(Json.write(events));
    }

    private static long eventId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(
                "after must be the id of an event, a whole number from 0", "e.g. GET /events?after=1234");
    }

    /** Streams one workspace's events until the client goes away or falls too far behind. */
    private void sse(Context ctx) throws IOException {
        auth.requireAdminOnEventStream(ctx);
        WorkspaceId id = WorkspaceRoutes.id(ctx);
        workspaces.find(id);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        SseFeed feed = new SseFeed(id, new PendingSends(PENDING, clock), () -> {
            metrics.subscriberDropped("sse");
            cut(ctx);
        });
        sseClients.add(feed);
        try {
            feed.writeTo(ctx.res().getOutputStream(), KEEP_ALIVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // The subscriber disconnected or was cut off; it leaves the stream below.
        } finally {
            sseClients.remove(feed);
        }
    }

    /** Closes the connection under a request at once, so that a write blocked on it fails. */
    private static void cut(Context ctx) {
        ServletContextRequest.getServletContextRequest(ctx.req())
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint()
                .close();
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

    static Map<String, Object> stored(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("event_type", e.type());
        m.put("workspace_id", e.workspaceId().toString());
        m.put("payload", Json.value(e.payloadJson()));
        m.put("created_at", e.createdAt().toString());
        return m;
    }
}
