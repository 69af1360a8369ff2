package dev.lifeline.core;

import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Who may call whom: a workspace may call itself, its siblings, any other root when it is a root,
 * and its ancestors and descendants. Anything else (cousins, uncles, other trees) is refused, and so
 * is anything that cannot be decided (a missing row, a chain longer than {@link #MAX_DEPTH}).
 */
public final class Hierarchy {
    public static final int MAX_DEPTH = 32;

    private final Function<WorkspaceId, Optional<Workspace>> lookup;

    public Hierarchy(Function<WorkspaceId, Optional<Workspace>> lookup) {
        this.lookup = lookup;
    }

    public boolean canCommunicate(WorkspaceId caller, WorkspaceId target) {
        if (caller.equals(target)) {
            return true;
        }
        Optional<Workspace> a = lookup.apply(caller);
        Optional<Workspace> b = lookup.apply(target);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        @Nullable WorkspaceId pa = a.get().parentId();
        @Nullable WorkspaceId pb = b.get().parentId();
        if (pa == null && pb == null) {
            return true;
        }
        if (pa != null && pa.equals(pb)) {
            return true;
        }
        return isAncestor(caller, b.get()) || isAncestor(target, a.get());
    }

    /** Whether {@code candidate} is on the parent chain of {@code w} (within the depth cap). */
    public boolean isAncestor(WorkspaceId candidate, Workspace w) {
        @Nullable WorkspaceId next = w.parentId();
        for (int depth = 0; next != null && depth < MAX_DEPTH; depth++) {
            if (next.equals(candidate)) {
                return true;
            }
            next = lookup.apply(next).map(Workspace::parentId).orElse(null);
        }
        return false;
    }
}
