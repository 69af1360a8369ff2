package dev.lifeline.store;

import dev.lifeline.core.RemoteEvent;
import dev.lifeline.core.WorkspaceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Which persisted events a listener has seen, and the other replicas' events it missed, read from
 * {@code structure_events} by id. Ids are drawn at insert and committed in any order, so a reread
 * starts {@link #SLACK} ids below the highest seen and skips the ids it remembers. Events older
 * than the listener are never handed on. Used by the listening thread only.
 */
final class MissedEvents {
    /** How far below the highest id seen an event may still commit. */
    private static final long SLACK = 100;

    private static final int REMEMBERED = 10_000;
    private static final int BATCH = 500;
    private static final String COLUMNS = "id, event_type, workspace_id, payload, created_at";

    private final Jdbi jdbi;
    private final String origin;
    private final long floor;
    private long highest;
    private final Set<Long> seen = new LinkedHashSet<>();

    MissedEvents(Jdbi jdbi, String origin) {
        this.jdbi = jdbi;
        this.origin = origin;
        this.floor = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM structure_events")
                .mapTo(Long.class)
                .one());
        this.highest = floor;
    }

    /** Whether {@code id} is new to this listener (and newer than it); remembers it. */
    boolean firstSight(long id) {
        if (id <= floor || !seen.add(id)) {
            return false;
        }
        highest = Math.max(highest, id);
        if (seen.size() > REMEMBERED) {
            Iterator<Long> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** The other replicas' events stored since the last one seen (and a little before), by id. */
    List<RemoteEvent> since() {
        List<RemoteEvent> missed = new ArrayList<>();
        long after = Math.max(floor, highest - SLACK);
        while (true) {
            long from = after;
            List<RemoteEvent> batch = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                            + " FROM structure_events WHERE id > :after AND origin <> :origin ORDER BY id LIMIT :batch")
                    .bind("after", from)
                    .bind("origin", origin)
                    .bind("batch", BATCH)
                    .map((rs, ctx) -> remote(rs))
                    .list());
            batch.stream().filter(e -> !seen.contains(e.id())).forEach(missed::add);
            if (batch.size() < BATCH) {
                return missed;
            }
            after = batch.getLast().id();
        }
    }

    /** One stored event, for a notice that came without its payload. */
    Optional<RemoteEvent> read(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM structure_events WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> remote(rs))
                .findOne());
    }

    private static RemoteEvent remote(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RemoteEvent(
                rs.getLong("id"),
                rs.getString("event_type"),
                new WorkspaceId(SqlTypes.requiredUuid(rs, "workspace_id")),
                rs.getString("payload"),
                SqlTypes.requiredInstant(rs, "created_at"));
    }
}
