package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A workspace's peers are exactly the workspaces the proxy lets it call. */
class PeersTest {
    private final Wiring wiring = new Wiring();

    @AfterEach
    void close() {
        wiring.close();
    }

    private WorkspaceId add(String name, @Nullable WorkspaceId parent) {
        WorkspaceId id = WorkspaceId.random();
        wiring.store.create(
                new NewWorkspace(id, name, null, 2, "echo", "vm", WorkspaceStatus.ONLINE, null, parent, null),
                new WorkspaceEvent.Provisioning(id, name, 2, "echo"),
                wiring.clock.instant());
        return id;
    }

    private Iterable<String> peerNames(WorkspaceId id) {
        return wiring.workspaces.peers(id).stream().map(Workspace::name).toList();
    }

    @Test
    void aChildReachesItsParentSiblingsAndDescendantsButNotItsCousinsOrOtherTrees() {
        WorkspaceId root = add("root", null);
        WorkspaceId lead = add("lead", root);
        add("sibling", root);
        WorkspaceId worker = add("worker", lead);
        add("worker-helper", worker);
        WorkspaceId other = add("other-root", null);
        add("cousin", other);

        assertThat(peerNames(lead)).containsExactlyInAnyOrder("root", "sibling", "worker", "worker-helper");
    }

    @Test
    void aRootReachesTheOtherRootsAndItsWholeTree() {
        WorkspaceId root = add("root", null);
        WorkspaceId lead = add("lead", root);
        add("worker", lead);
        WorkspaceId other = add("other-root", null);
        add("other-child", other);

        assertThat(peerNames(root)).containsExactlyInAnyOrder("lead", "worker", "other-root");
    }

    @Test
    void removedWorkspacesAreNoPeersAndARemovedWorkspaceHasNone() {
        WorkspaceId root = add("root", null);
        WorkspaceId gone = add("gone", null);
        wiring.workspaces.remove(gone, true);

        assertThat(peerNames(root)).isEmpty();
        assertThatThrownBy(() -> wiring.workspaces.peers(gone)).isInstanceOf(WorkspaceNotFoundException.class);
    }
}
