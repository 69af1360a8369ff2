package dev.lifeline.core;

import org.jspecify.annotations.Nullable;

/**
 * The columns one {@code PATCH /workspaces/{id}} changes: a null name, tier, position or collapsed
 * flag, or a {@link Change#keep() kept} change, leaves its column as it is; a nullable column may
 * also be cleared. The position and the collapsed flag are the canvas's layout, not the workspace's
 * state: a patch of only those leaves the workspace's update time alone (an empty patch does not).
 */
public record WorkspacePatch(
        @Nullable String name,
        Change<String> role,
        @Nullable Integer tier,
        Change<WorkspaceId> parentId,
        Change<Long> budgetLimit,
        Change<Integer> hibernationIdleMinutes,
        @Nullable CanvasPosition position,
        @Nullable Boolean collapsed) {

    /** A patch that changes nothing but the update time. */
    public static final WorkspacePatch NONE =
            new WorkspacePatch(null, Change.keep(), null, Change.keep(), Change.keep(), Change.keep(), null, null);

    /** Whether and how a nullable column changes: kept, set to a value, or cleared to null. */
    public sealed interface Change<T> {

        /** Leaves the column as it is. */
        record Keep<T>() implements Change<T> {}

        /** Sets the column to {@code value}. */
        record SetTo<T>(T value) implements Change<T> {}

        /** Sets the column to null. */
        record Clear<T>() implements Change<T> {}

        static <T> Change<T> keep() {
            return new Keep<>();
        }

        static <T> Change<T> to(T value) {
            return new SetTo<>(value);
        }

        static <T> Change<T> clear() {
            return new Clear<>();
        }

        /** Sets {@code value}, or clears the column when it is null (a JSON {@code null}). */
        static <T> Change<T> toOrClear(@Nullable T value) {
            return value == null ? clear() : to(value);
        }
    }

    /** True if the patch changes no column. */
    public boolean isEmpty() {
        return keepsState() && position == null && collapsed == null;
    }

    /** True if the patch changes the canvas's layout and nothing else. */
    public boolean layoutOnly() {
        return keepsState() && (position != null || collapsed != null);
    }

    private boolean keepsState() {
        return name == null
                && tier == null
                && role instanceof Change.Keep
                && parentId instanceof Change.Keep
                && budgetLimit instanceof Change.Keep
                && hibernationIdleMinutes instanceof Change.Keep;
    }

    public WorkspacePatch withName(String newName) {
        return new WorkspacePatch(
                newName, role, tier, parentId, budgetLimit, hibernationIdleMinutes, position, collapsed);
    }

    public WorkspacePatch withRole(Change<String> change) {
        return new WorkspacePatch(
                name, change, tier, parentId, budgetLimit, hibernationIdleMinutes, position, collapsed);
    }

    public WorkspacePatch withTier(int newTier) {
        return new WorkspacePatch(
                name, role, newTier, parentId, budgetLimit, hibernationIdleMinutes, position, collapsed);
    }

    public WorkspacePatch withParentId(Change<WorkspaceId> change) {
        return new WorkspacePatch(name, role, tier, change, budgetLimit, hibernationIdleMinutes, position, collapsed);
    }

    public WorkspacePatch withBudgetLimit(Change<Long> change) {
        return new WorkspacePatch(name, role, tier, parentId, change, hibernationIdleMinutes, position, collapsed);
    }

    public WorkspacePatch withHibernationIdleMinutes(Change<Integer> change) {
        return new WorkspacePatch(name, role, tier, parentId, budgetLimit, change, position, collapsed);
    }

    public WorkspacePatch withPosition(CanvasPosition newPosition) {
        return new WorkspacePatch(
                name, role, tier, parentId, budgetLimit, hibernationIdleMinutes, newPosition, collapsed);
    }

    public WorkspacePatch withCollapsed(boolean newCollapsed) {
        return new WorkspacePatch(
                name, role, tier, parentId, budgetLimit, hibernationIdleMinutes, position, newCollapsed);
    }
}
