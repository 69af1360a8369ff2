package dev.lifeline.store;

import dev.lifeline.core.CanvasPosition;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The single {@code UPDATE} that applies a {@link WorkspacePatch} to a workspace that is not removed:
 * only the columns the patch names appear in it, a cleared column is set to {@code NULL} literally.
 * It moves the update time unless it changes only the canvas's layout.
 */
final class PatchUpdate {
    private final List<String> sets = new ArrayList<>();
    private final List<Consumer<Update>> bindings = new ArrayList<>();

    private PatchUpdate() {}

    static Update prepare(Handle handle, WorkspaceId id, WorkspacePatch patch, Instant at) {
        PatchUpdate u = new PatchUpdate();
        if (!patch.layoutOnly()) {
            u.sets.add("updated_at = :at");
        }
        String name = patch.name();
        if (name != null) {
            u.change("name", Change.to(name), (update, value) -> update.bind("name", value));
        }
        Integer tier = patch.tier();
        if (tier != null) {
            u.change("tier", Change.to(tier), (update, value) -> update.bind("tier", value.intValue()));
        }
        u.change("role", patch.role(), (update, value) -> update.bind("role", value));
        u.change("parent_id", patch.parentId(), (update, value) -> update.bind("parent_id", value.value()));
        u.change(
                "budget_limit", patch.budgetLimit(), (update, value) -> update.bind("budget_limit", value.longValue()));
        u.change(
                "hibernation_idle_minutes",
                patch.hibernationIdleMinutes(),
                (update, value) -> update.bind("hibernation_idle_minutes", value.intValue()));
        u.layout(patch);

        Update update = handle.createUpdate("UPDATE workspaces SET " + String.join(", ", u.sets)
                        + " WHERE id = :id AND " + JdbiWorkspaceStore.NOT_REMOVED)
                .bind("id", id.value());
        if (!patch.layoutOnly()) {
            update.bind("at", at);
        }
        u.bindings.forEach(b -> b.accept(update));
        return update;
    }

    private void layout(WorkspacePatch patch) {
        CanvasPosition position = patch.position();
        if (position != null) {
            change("canvas_x", Change.to(position.x()), (update, x) -> update.bind("canvas_x", x.doubleValue()));
            change("canvas_y", Change.to(position.y()), (update, y) -> update.bind("canvas_y", y.doubleValue()));
        }
        Boolean collapsed = patch.collapsed();
        if (collapsed != null) {
            change("canvas_collapsed", Change.to(collapsed), (update, c) -> update.bind("canvas_collapsed", c));
        }
    }

    /** Adds {@code column} to the statement unless the change keeps it; the parameter is named after it. */
    private <T> void change(String column, Change<T> change, BiConsumer<Update, T> bind) {
        switch (change) {
            case Change.Keep<T> _ -> {}
            case Change.SetTo<T>(T value) -> {
                sets.add(column + " = :" + column);
                bindings.add(update -> bind.accept(update, value));
            }
            case Change.Clear<T> _ -> sets.add(column + " = NULL");
        }
    }
}
