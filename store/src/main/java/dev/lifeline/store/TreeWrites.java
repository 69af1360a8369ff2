package dev.lifeline.store;

import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.Transition;
import dev.lifeline.core.TreeRemoval;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The writes that could break the workspace tree (a parent given on create or patch, the removal of
 * a subtree), each checked and written inside the caller's transaction after {@link #lock}.
 *
 * <p>The lock is the single row of {@code workspace_tree_lock}, selected {@code FOR UPDATE}: a tree
 * write waits until the previous one has committed, and its checks then read the tree that write
 * left. One row rather than row locks on an ancestor chain, because the chain a check walks is what
 * a concurrent write changes (two reparentings that close a loop each lock a different chain), and
 * because one lock that is always taken first cannot deadlock. Tree writes are rare and short, so
 * running them one at a time costs nothing; {@code SELECT … FOR UPDATE} on a row means the same on
 * H2 and PostgreSQL, where an advisory lock would not.
 */
final class TreeWrites {
    private static final String PARENT_HINT = "choose a live parent_id, or omit it for a root workspace";

    private TreeWrites() {}

    /** Waits for the tree lock; it is held until the transaction ends. */
    static void lock(Handle h) {
        h.createQuery("SELECT id FROM workspace_tree_lock WHERE id = 1 FOR UPDATE")
                .mapTo(Integer.class)
                .one();
    }

    /** Throws unless {@code parent} is live and neither {@code child} nor below it. Call under {@link #lock}. */
    static void checkParent(Handle h, WorkspaceId child, WorkspaceId parent) {
        Workspace p = JdbiWorkspaceStore.read(h, parent)
                .orElseThrow(() -> new InvalidRequestException("parent workspace not found", PARENT_HINT));
        if (p.status() == WorkspaceStatus.REMOVED) {
            throw new InvalidRequestException("parent workspace is removed", PARENT_HINT);
        }
        if (isOnChainOf(h, child, p)) {
            throw new InvalidRequestException(
                    "parent_id would create a cycle", "a workspace cannot be its own ancestor");
        }
    }

    /** Whether {@code candidate} is {@code w} or one of its ancestors; the whole chain, however long. */
    private static boolean isOnChainOf(Handle h, WorkspaceId candidate, Workspace w) {
        Set<WorkspaceId> visited = new HashSet<>();
        @Nullable WorkspaceId next = w.id();
        while (next != null && visited.add(next)) {
            if (next.equals(candidate)) {
                return true;
            }
            next = JdbiWorkspaceStore.read(h, next).map(Workspace::parentId).orElse(null);
        }
        return false;
    }

    /** See {@link dev.lifeline.core.WorkspaceStore#removeTree}; takes the lock itself. */
    static TreeRemoval removeTree(Handle h, WorkspaceId root, boolean withDescendants, Instant at) {
        lock(h);
        if (JdbiWorkspaceStore.read(h, root)
                .filter(w -> w.status() != WorkspaceStatus.REMOVED)
                .isEmpty()) {
            throw new WorkspaceNotFoundException(root);
        }
        List<Workspace> children = liveChildren(h, List.of(root));
        if (!children.isEmpty() && !withDescendants) {
            return new TreeRemoval.ChildrenNotConfirmed(children);
        }
        List<Workspace> rows = new ArrayList<>();
        List<WorkspaceEvent> events = new ArrayList<>();
        for (WorkspaceId d : descendants(h, root, children)) {
            WorkspaceEvent event = new WorkspaceEvent.Removed(d);
            remove(h, Transition.to(d, WorkspaceStatus.REMOVED, event, at)).ifPresent(row -> {
                rows.add(row);
                events.add(event);
            });
        }
        WorkspaceEvent rootEvent = new WorkspaceEvent.RemovedCascade(root, rows.size());
        rows.add(remove(h, Transition.to(root, WorkspaceStatus.REMOVED, rootEvent, at))
                .orElseThrow(() -> new WorkspaceNotFoundException(root)));
        events.add(rootEvent);
        return new TreeRemoval.Removed(rows, events);
    }

    private static Optional<Workspace> remove(Handle h, Transition t) {
        if (TransitionUpdate.prepare(h, t).execute() != 1) {
            return Optional.empty();
        }
        JdbiWorkspaceStore.storeEvent(h, t.event(), t.at());
        return JdbiWorkspaceStore.read(h, t.id());
    }

    /** Every live workspace below {@code root}, level by level; a loop in old rows ends the walk. */
    private static List<WorkspaceId> descendants(Handle h, WorkspaceId root, List<Workspace> children) {
        List<WorkspaceId> found = new ArrayList<>();
        Set<WorkspaceId> visited = new HashSet<>(Set.of(root));
        List<Workspace> level = children;
        while (!level.isEmpty()) {
            List<WorkspaceId> ids = new ArrayList<>();
            for (Workspace w : level) {
                if (visited.add(w.id())) {
                    ids.add(w.id());
                }
            }
            found.addAll(ids);
            level = ids.isEmpty() ? List.of() : liveChildren(h, ids);
        }
        return found;
    }

    /** The live children of {@code parents}, oldest first. */
    private static List<Workspace> liveChildren(Handle h, List<WorkspaceId> parents) {
        return h.createQuery("SELECT " + Rows.WORKSPACE_COLUMNS + " FROM workspaces WHERE parent_id IN (<parents>)"
                        + " AND " + JdbiWorkspaceStore.NOT_REMOVED + " ORDER BY created_at, id")
                .bindList("parents", parents.stream().map(WorkspaceId::value).toList())
                .map(Rows.WORKSPACE)
                .list();
    }
}
