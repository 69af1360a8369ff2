package dev.lifeline.store;

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
 */
final class PatchUpdate {
    private final List<String> sets = new ArrayList<>(List.of("updated_at = :at"));
    private final List<Consumer<Update>> bindings = new ArrayList<>();

    private PatchUpdate() {}

    static Update prepare(Handle handle, WorkspaceId id, WorkspacePatch patch, Instant at) {
        PatchUpdate u = new PatchUpdate();
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

        Update update = handle.createUpdate("UPDATE workspaces SET " + String.join(", ", u.sets)
                        + " WHERE id = :id AND " + JdbiWorkspaceStore.NOT_REMOVED)
                .bind("id", id.value())
                .bind("at", at);
        u.bindings.forEach(b -> b.accept(update));
        return update;
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
