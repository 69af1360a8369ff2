package dev.lifeline.store;

import dev.lifeline.core.CanvasViewport;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** The statements on {@code canvas_viewport}, whose one row the migration inserts. */
final class CanvasViewports {
    private CanvasViewports() {}

    static CanvasViewport read(Handle h) {
        return h.createQuery("SELECT x, y, zoom FROM canvas_viewport WHERE id = 1")
                .map((rs, ctx) -> new CanvasViewport(rs.getDouble("x"), rs.getDouble("y"), rs.getDouble("zoom")))
                .findOne()
                .orElse(CanvasViewport.DEFAULT);
    }

    static void save(Handle h, CanvasViewport v, Instant at) {
        h.createUpdate("UPDATE canvas_viewport SET x = :x, y = :y, zoom = :zoom, saved_at = :at WHERE id = 1")
                .bind("x", v.x())
                .bind("y", v.y())
                .bind("zoom", v.zoom())
                .bind("at", at)
                .execute();
    }
}
