package dev.lifeline.store;

import org.jdbi.v3.core.Handle;

/** The statements on {@code fleet}, whose one row the migration inserts. */
final class FleetIds {
    private FleetIds() {}

    /** Sets the fleet id to {@code candidate} unless a server set it before; returns the id in force. */
    static String claim(Handle h, String candidate) {
        h.createUpdate("UPDATE fleet SET fleet_id = :candidate WHERE id = 1 AND fleet_id IS NULL")
                .bind("candidate", candidate)
                .execute();
        return h.createQuery("SELECT fleet_id FROM fleet WHERE id = 1")
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> new IllegalStateException("the fleet row is missing; the schema is not migrated"));
    }
}
