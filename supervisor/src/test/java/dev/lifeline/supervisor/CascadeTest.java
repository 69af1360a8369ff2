package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.ConflictException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotInStateException;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pause, resume and remove act on a workspace's whole subtree, parents before children. */
class CascadeTest {
    private Wiring wiring;
    private Workspace parent;
    private Workspace first;
    private Workspace second;

    @BeforeEach
    void growATree() {
        wiring = new Wiring();
        parent = running("parent", null);
        first = running("first", parent.id());
        second = running("second", parent.id());
        wiring.events.clear();
    }

    @AfterEach
    void close() {
        wiring.close();
    }

    /** Creates a workspace on the scripted backend and brings it online as its agent would. */
    private Workspace running(String name, WorkspaceId parentId) {
        WorkspaceId id = WorkspaceId.random();
        wiring.workspaces.create(
                new NewWorkspace(id, name, null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, parentId, null));
        await().until(() -> wiring.store.find(id).orElseThrow().instanceRef() != null);
        Workspace w = wiring.store.find(id).orElseThrow();
        wiring.lifecycle.apply(Transition.to(
                        id,
                        WorkspaceStatus.ONLINE,
                        new WorkspaceEvent.Online(id, w.url(), null, null),
                        wiring.clock.instant())
                .ifGeneration(w.generation()));
        return wiring.store.find(id).orElseThrow();
    }

    private Workspace row(Workspace w) {
        return wiring.store.find(w.id()).orElseThrow();
    }

    private Stream<Workspace> tree() {
        return Stream.of(parent, first, second).map(this::row);
    }

    @Test
    void pausingAParentPausesBothChildrenAndStopsAllThreeInstances() {
        int paused = wiring.workspaces.pause(parent.id());

        assertThat(paused).isEqualTo(3);
        assertThat(tree()).allSatisfy(w -> {
            assertThat(w.status()).isEqualTo(WorkspaceStatus.PAUSED);
            assertThat(w.instanceRef()).isNull();
            assertThat(w.url()).isNull();
        });
        // The root goes first; siblings created in the same instant have no order between them.
        assertThat(wiring.backend.stops().getFirst()).isEqualTo(parent.instanceRef());
        assertThat(wiring.backend.stops())
                .containsExactlyInAnyOrder(parent.instanceRef(), first.instanceRef(), second.instanceRef());
        assertThat(wiring.events).containsExactly("WORKSPACE_PAUSED", "WORKSPACE_PAUSED", "WORKSPACE_PAUSED");
    }

    @Test
    void pausingAnAlreadyPausedWorkspaceIsNotFound() {
        wiring.workspaces.pause(parent.id());

        assertThatThrownBy(() -> wiring.workspaces.pause(parent.id()))
                .isInstanceOf(WorkspaceNotInStateException.class)
                .hasMessage("workspace not found or already paused");
    }

    @Test
    void pausingAParentSkipsAChildThatIsAlreadyPaused() {
        wiring.workspaces.pause(first.id());

        assertThat(wiring.workspaces.pause(parent.id())).isEqualTo(2);
        assertThat(wiring.events.stream().filter("WORKSPACE_PAUSED"::equals)).hasSize(3);
    }

    @Test
    void aPausedWorkspaceStaysPausedWhenItsInstanceCannotBeStopped() {
        wiring.backend.failStops(true);

        assertThat(wiring.workspaces.pause(parent.id())).isEqualTo(3);
        assertThat(tree()).allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkspaceStatus.PAUSED));
    }

    @Test
    void resumingAChildWhoseParentIsPausedIsRefused() {
        wiring.workspaces.pause(parent.id());

        assertThatThrownBy(() -> wiring.workspaces.resume(first.id()))
                .isInstanceOf(ConflictException.class)
                .hasMessage("parent workspace \"parent\" is paused — resume it first");
        assertThat(row(first).status()).isEqualTo(WorkspaceStatus.PAUSED);
    }

    @Test
    void resumingAWorkspaceThatIsNotPausedIsNotFound() {
        assertThatThrownBy(() -> wiring.workspaces.resume(parent.id()))
                .isInstanceOf(WorkspaceNotInStateException.class)
                .hasMessage("workspace not found or not paused");
    }

    @Test
    void resumingAParentStartsTheNextGenerationOfTheWholeTree() {
        wiring.workspaces.pause(parent.id());
        wiring.events.clear();

        int resumed = wiring.workspaces.resume(parent.id());

        assertThat(resumed).isEqualTo(3);
        await().until(() -> tree().allMatch(w -> w.instanceRef() != null));
        assertThat(tree()).allSatisfy(w -> {
            assertThat(w.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
            assertThat(w.generation()).isEqualTo(2);
        });
        assertThat(wiring.backend.starts()).hasSize(6);
        assertThat(wiring.events)
                .containsExactly("WORKSPACE_PROVISIONING", "WORKSPACE_PROVISIONING", "WORKSPACE_PROVISIONING");
    }

    @Test
    void removingAParentWithoutConfirmationListsItsChildrenAndRemovesNothing() {
        RemoveOutcome outcome = wiring.workspaces.remove(parent.id(), false);

        assertThat(outcome)
                .isInstanceOfSatisfying(RemoveOutcome.ConfirmationRequired.class, c -> assertThat(c.children())
                        .extracting(Workspace::id)
                        .containsExactlyInAnyOrder(first.id(), second.id()));
        assertThat(tree()).allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkspaceStatus.ONLINE));
        assertThat(wiring.backend.stops()).isEmpty();
        assertThat(wiring.events).isEmpty();
    }

    @Test
    void removingAParentWithConfirmationRemovesTheTreeAndStopsEveryInstance() {
        RemoveOutcome outcome = wiring.workspaces.remove(parent.id(), true);

        assertThat(outcome).isEqualTo(new RemoveOutcome.Removed(3, 2, 0));
        assertThat(tree()).allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkspaceStatus.REMOVED));
        assertThat(wiring.backend.stops().getLast()).isEqualTo(parent.instanceRef());
        assertThat(wiring.backend.stops())
                .containsExactlyInAnyOrder(first.instanceRef(), second.instanceRef(), parent.instanceRef());
        assertThat(wiring.events).containsExactly("WORKSPACE_REMOVED", "WORKSPACE_REMOVED", "WORKSPACE_REMOVED");
        assertThat(wiring.store.recentEvents(parent.id(), 1)).singleElement().satisfies(e -> assertThat(e.payloadJson())
                .contains("\"cascade_deleted\":2"));
    }

    @Test
    void removingALeafNeedsNoConfirmation() {
        assertThat(wiring.workspaces.remove(first.id(), false)).isEqualTo(new RemoveOutcome.Removed(1, 0, 0));
        assertThat(wiring.workspaces.remove(parent.id(), false)).isInstanceOf(RemoveOutcome.ConfirmationRequired.class);
    }

    @Test
    void failedStopsAreCountedWhileTheRowsStayRemoved() {
        wiring.backend.failStops(true);

        RemoveOutcome outcome = wiring.workspaces.remove(parent.id(), true);

        assertThat(outcome).isEqualTo(new RemoveOutcome.Removed(3, 2, 3));
        assertThat(tree()).allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkspaceStatus.REMOVED));
    }

    @Test
    void aGrandchildIsPausedAndRemovedWithItsGrandparent() {
        Workspace grandchild = running("grandchild", first.id());
        wiring.events.clear();

        assertThat(wiring.workspaces.pause(parent.id())).isEqualTo(4);
        assertThat(wiring.backend.stops().getLast()).isEqualTo(grandchild.instanceRef());
        assertThat(wiring.workspaces.remove(parent.id(), true)).isEqualTo(new RemoveOutcome.Removed(4, 3, 0));
        assertThat(row(grandchild).status()).isEqualTo(WorkspaceStatus.REMOVED);
    }

    @Test
    void aParentCycleInTheStoreCannotMakeACascadeLoop() throws SQLException {
        // The store refuses cycles, but rows written before it did may hold one.
        wiring.behindTheStore(
                "UPDATE workspaces SET parent_id = '" + second.id() + "' WHERE id = '" + parent.id() + "'");

        assertThat(wiring.workspaces.pause(parent.id())).isEqualTo(3);
        assertThat(wiring.workspaces.remove(parent.id(), true)).isEqualTo(new RemoveOutcome.Removed(3, 2, 0));
        assertThat(wiring.backend.stops()).hasSize(3);
    }
}
