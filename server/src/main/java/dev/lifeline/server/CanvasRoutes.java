package dev.lifeline.server;

import dev.lifeline.core.CanvasViewport;
import dev.lifeline.core.WorkspaceStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /canvas/viewport}: the pan and zoom the operator's canvas last showed, one for the server,
 * saved and read with the admin token. Lifeline keeps it for the canvas and reads none of it.
 */
final class CanvasRoutes {
    private static final String HINT = "send {\"x\": 0, \"y\": 0, \"zoom\": 1}";

    private final WorkspaceStore store;
    private final Auth auth;
    private final InstantSource clock;

    CanvasRoutes(WorkspaceStore store, Auth auth, InstantSource clock) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
    }

    void install(JavalinConfig config) {
        config.routes.get("/canvas/viewport", this::viewport);
        config.routes.put("/canvas/viewport", this::save);
    }

    private void viewport(Context ctx) {
        auth.requireAdmin(ctx);
        CanvasViewport v = store.viewport();
        ctx.contentType("application/json").result(Json.write(Map.of("x", v.x(), "y", v.y(), "zoom", v.zoom())));
    }

    private void save(Context ctx) {
        auth.requireAdmin(ctx);
        store.saveViewport(viewport(new BodyFields(Json.object(ctx.bodyAsBytes(), HINT), HINT)), clock.instant());
        ctx.contentType("application/json").result(Json.write(Map.of("status", "saved")));
    }

    /** All three numbers are required; the offset is bounded like node positions, the zoom both ways. */
    static CanvasViewport viewport(BodyFields fields) {
        double bound = InputLimits.CANVAS_COORDINATE;
        return new CanvasViewport(
                required(fields, "x", fields.number("x", -bound, bound)),
                required(fields, "y", fields.number("y", -bound, bound)),
                required(fields, "zoom", fields.number("zoom", InputLimits.MIN_ZOOM, InputLimits.MAX_ZOOM)));
    }

    private static double required(BodyFields fields, String field, @Nullable Double value) {
        if (value == null) {
            throw fields.invalid(field, "is required and must be a number");
        }
        return value;
    }
}
