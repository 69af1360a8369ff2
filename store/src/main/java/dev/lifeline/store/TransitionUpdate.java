package dev.lifeline.store;

import dev.lifeline.core.Transition;
import dev.lifeline.core.WorkspaceStatus;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The single guarded {@code UPDATE} that applies a {@link Transition}: it changes the row only if
 * the row's status is in the transition's {@code from} set (and its generation matches, when one is
 * given), so concurrent transitions of one workspace cannot both succeed.
 */
final class TransitionUpdate {
    private TransitionUpdate() {}

    /** Requires a non-empty {@code from} set. */
    static Update prepare(Handle handle, Transition t) {
        List<String> sets = new ArrayList<>(List.of("status = :to", "updated_at = :at"));
        boolean clearEndpoint = t.newGeneration() || t.clearEndpoint();
        if (t.newGeneration()) {
            sets.add("generation = generation + 1");
        }
        String url = t.url();
        String card = t.agentCard();
        if (url != null) {
            sets.add("url = :url");
            if (card != null) {
                sets.add("agent_card = :card");
            }
        } else if (clearEndpoint) {
            sets.add("url = NULL");
        }
        if (clearEndpoint) {
            sets.add("instance_ref = NULL");
            sets.add("started_by = NULL");
        }
        String failure = t.failureReason();
        if (failure != null) {
            sets.add("failure_reason = :failure");
        } else if (t.newGeneration()) {
            sets.add("failure_reason = NULL");
        }
        if (t.touchHeartbeat()) {
            sets.add("last_heartbeat_at = :at");
        } else if (t.newGeneration()) {
            // A new generation has not beaten yet; the previous one's heartbeat says nothing about it.
            sets.add("last_heartbeat_at = NULL");
        }
        sets.addAll(RestartColumns.sets(t));
        Long generation = t.generation();
        String sql = "UPDATE workspaces SET " + String.join(", ", sets)
                + " WHERE id = :id AND status IN (<from>)"
                + (generation == null ? "" : " AND generation = :generation");

        Update update = handle.createUpdate(sql)
                .bind("id", t.id().value())
                .bind("to", t.to().wire())
                .bind("at", t.at())
                .bindList("from", t.from().stream().map(WorkspaceStatus::wire).toList());
        if (url != null) {
            update.bind("url", url);
            if (card != null) {
                update.bind("card", card);
            }
        }
        if (failure != null) {
            update.bind("failure", failure);
        }
        if (generation != null) {
            update.bind("generation", generation.longValue());
        }
        RestartColumns.bind(update, t);
        return update;
    }
}
