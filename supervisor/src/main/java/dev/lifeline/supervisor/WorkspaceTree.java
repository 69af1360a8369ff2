package dev.lifeline.supervisor;

import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the live hierarchy (the non-removed rows and their {@code parent_id} links), for
 * the cascades of pause and resume. Every walk keeps a visited set, so a parent cycle in
 * the rows ends the walk instead of looping.
 */
final class WorkspaceTree {
    private final Map<WorkspaceId, Workspace> byId = new HashMap<>();
    private final Map<WorkspaceId, List<Workspace>> children = new HashMap<>();

    /** @param live the non-removed workspaces, oldest first (the order children are visited in) */
    WorkspaceTree(List<Workspace> live) {
        for (Workspace w : live) {
            byId.put(w.id(), w);
            WorkspaceId parent = w.parentId();
            if (parent != null) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(w);
            }
        }
    }

    /** Every live workspace below {@code root}, breadth-first (parents before their children). */
    List<Workspace> descendantsOf(WorkspaceId root) {
        List<Workspace> found = new ArrayList<>();
        Set<WorkspaceId> visited = new HashSet<>(Set.of(root));
        Queue<WorkspaceId> next = new ArrayDeque<>(List.of(root));
        while (!next.isEmpty()) {
            for (Workspace child : children.getOrDefault(next.remove(), List.of())) {
                if (visited.add(child.id())) {
                    found.add(child);
                    next.add(child.id());
                }
            }
        }
        return found;
    }

    /** The live ancestors of {@code w}, nearest first; the chain ends at a root or a removed parent. */
    List<Workspace> ancestorsOf(Workspace w) {
        List<Workspace> found = new ArrayList<>();
        Set<WorkspaceId> visited = new HashSet<>(Set.of(w.id()));
        @Nullable WorkspaceId parent = w.parentId();
        while (parent != null && visited.add(parent)) {
            Workspace p = byId.get(parent);
            if (p == null) {
                break;
            }
            found.add(p);
            parent = p.parentId();
        }
        return found;
    }
}
