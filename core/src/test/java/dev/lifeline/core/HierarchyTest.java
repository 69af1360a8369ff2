package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HierarchyTest {
    private final Map<WorkspaceId, Workspace> rows = new HashMap<>();
    private final Hierarchy hierarchy = new Hierarchy(id -> Optional.ofNullable(rows.get(id)));

    private WorkspaceId add(@Nullable WorkspaceId parent) {
        WorkspaceId id = WorkspaceId.random();
        Instant t = Instant.EPOCH;
        rows.put(
                id,
                new Workspace(
                        id,
                        "w",
                        null,
                        2,
                        "echo",
                        "process",
                        WorkspaceStatus.ONLINE,
                        null,
                        null,
                        1,
                        parent,
                        null,
                        null,
                        0,
                        0,
                        0,
                        RestartState.NONE,
                        null,
                        t,
                        t,
                        null,
                        0,
                        null,
                        null,
                        null,
                        CanvasPosition.ORIGIN,
                        false,
                        null,
                        null));
        return id;
    }

    @Test
    void rootsSiblingsAncestorsAndDescendantsMayTalk() {
        WorkspaceId root = add(null);
        WorkspaceId otherRoot = add(null);
        WorkspaceId child = add(root);
        WorkspaceId sibling = add(root);
        WorkspaceId grandchild = add(child);

        assertThat(hierarchy.canCommunicate(root, otherRoot)).isTrue();
        assertThat(hierarchy.canCommunicate(child, sibling)).isTrue();
        assertThat(hierarchy.canCommunicate(grandchild, root)).isTrue();
        assertThat(hierarchy.canCommunicate(root, grandchild)).isTrue();
        assertThat(hierarchy.canCommunicate(child, child)).isTrue();
    }

    @Test
    void cousinsUnclesAndOtherTreesMayNot() {
        WorkspaceId root = add(null);
        WorkspaceId a = add(root);
        WorkspaceId b = add(root);
        WorkspaceId cousinA = add(a);
        WorkspaceId cousinB = add(b);
        WorkspaceId otherTree = add(add(null));

        assertThat(hierarchy.canCommunicate(cousinA, cousinB)).isFalse();
        assertThat(hierarchy.canCommunicate(cousinA, b)).isFalse();
        assertThat(hierarchy.canCommunicate(a, otherTree)).isFalse();
    }

    @Test
    void anUnknownWorkspaceFailsClosed() {
        assertThat(hierarchy.canCommunicate(add(null), WorkspaceId.random())).isFalse();
    }

    @Test
    void aChainDeeperThanTheCapIsNotFollowed() {
        WorkspaceId top = add(null);
        WorkspaceId w = top;
        for (int i = 0; i < Hierarchy.MAX_DEPTH + 1; i++) {
            w = add(w);
        }
        assertThat(hierarchy.isAncestor(top, rows.get(w))).isFalse();
    }
}
