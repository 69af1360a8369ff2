package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static dev.lifeline.core.WorkspaceStatus.PAUSED;
import static dev.lifeline.core.WorkspaceStatus.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Transition;
import dev.lifeline.core.TreeRemoval;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The tree's invariants, alone and under concurrent writes: no workspace is its own ancestor, and
 * no live workspace has a removed parent. Each race is run {@link #TRIALS} times.
 */
abstract class WorkspaceTreeContract extends WorkspaceRecordsContract {
    private static final int TRIALS = 50;

    @Test
    void aChildOfARemovedParentIsRefusedAndNotStored() {
        Workspace parent = create(ONLINE);
        assertThat(store().removeTree(parent.id(), false, seconds(1))).isInstanceOf(TreeRemoval.Removed.class);
        WorkspaceId child = WorkspaceId.random();

        assertThatThrownBy(() -> createChild(child, parent.id()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent workspace is removed");
        assertThat(store().find(child)).isEmpty();
    }

    @Test
    void aChildOfAnUnknownParentIsRefused() {
        assertThatThrownBy(() -> createChild(WorkspaceId.random(), WorkspaceId.random()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent workspace not found");
    }

    @Test
    void aPatchThatWouldMakeAWorkspaceItsOwnAncestorIsRefused() {
        Workspace root = create(ONLINE);
        Workspace child = createChild(WorkspaceId.random(), root.id());
        Workspace grandchild = createChild(WorkspaceId.random(), child.id());

        assertThatThrownBy(() -> reparent(root.id(), grandchild.id()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent_id would create a cycle");
        assertThatThrownBy(() -> reparent(root.id(), root.id()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent_id would create a cycle");
        assertThat(store().find(root.id())).contains(root);
    }

    @Test
    void aLoopIsSeenHoweverDeepTheTree() {
        Workspace root = create(ONLINE);
        WorkspaceId deepest = root.id();
        for (int depth = 0; depth < 40; depth++) {
            deepest = createChild(WorkspaceId.random(), deepest).id();
        }
        WorkspaceId bottom = deepest;

        assertThatThrownBy(() -> reparent(root.id(), bottom))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent_id would create a cycle");
    }

    @Test
    void aPatchUnderARemovedParentIsRefused() {
        Workspace removed = create(ONLINE);
        store().removeTree(removed.id(), false, seconds(1));
        Workspace w = create(ONLINE);

        assertThatThrownBy(() -> reparent(w.id(), removed.id()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent workspace is removed");
        assertThat(store().find(w.id()).orElseThrow().parentId()).isNull();
    }

    @Test
    void removingATreeRemovesParentsBeforeChildrenAndTheRootLastWithItsCount() {
        Workspace root = create(ONLINE);
        Workspace child = createChild(WorkspaceId.random(), root.id());
        Workspace grandchild = createChild(WorkspaceId.random(), child.id());
        Workspace paused = createChild(WorkspaceId.random(), root.id());
        apply(Transition.to(paused.id(), PAUSED, new WorkspaceEvent.Paused(paused.id(), "child"), seconds(1)));

        TreeRemoval removal = store().removeTree(root.id(), true, seconds(2));

        assertThat(removal).isInstanceOfSatisfying(TreeRemoval.Removed.class, r -> {
            List<WorkspaceId> order = r.rows().stream().map(Workspace::id).toList();
            assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(child.id(), paused.id());
            assertThat(order.subList(2, 4)).containsExactly(grandchild.id(), root.id());
            assertThat(r.rows()).extracting(Workspace::status).containsOnly(REMOVED);
            assertThat(r.events().getLast()).isEqualTo(new WorkspaceEvent.RemovedCascade(root.id(), 3));
            assertThat(r.cascadeDeleted()).isEqualTo(3);
        });
        assertThat(store().list()).isEmpty();
        assertThat(eventTypes(grandchild.id())).first().isEqualTo("WORKSPACE_REMOVED");
        assertThat(store().recentEvents(root.id(), 1).getFirst().payloadJson()).isEqualTo("{\"cascade_deleted\":3}");
    }

    @Test
    void removingAParentWithoutItsChildrenChangesNothingAndNamesThem() {
        Workspace root = create(ONLINE);
        Workspace child = createChild(WorkspaceId.random(), root.id());

        TreeRemoval removal = store().removeTree(root.id(), false, seconds(1));

        assertThat(removal).isInstanceOfSatisfying(TreeRemoval.ChildrenNotConfirmed.class, c -> assertThat(c.children())
                .containsExactly(child));
        assertThat(store().list()).extracting(Workspace::id).containsExactlyInAnyOrder(root.id(), child.id());
    }

    @Test
    void removingAnUnknownOrRemovedWorkspaceIsNotFound() {
        Workspace w = create(ONLINE);
        store().removeTree(w.id(), false, seconds(1));

        assertThatThrownBy(() -> store().removeTree(w.id(), true, seconds(2)))
                .isInstanceOf(WorkspaceNotFoundException.class);
        assertThatThrownBy(() -> store().removeTree(WorkspaceId.random(), true, seconds(2)))
                .isInstanceOf(WorkspaceNotFoundException.class);
    }

    @Test
    void aLoopLeftInOldRowsIsRemovedWholeWithoutLooping() throws SQLException {
        Workspace a = create(ONLINE);
        Workspace b = createChild(WorkspaceId.random(), a.id());
        execute("UPDATE workspaces SET parent_id = '" + b.id() + "' WHERE id = '" + a.id() + "'");

        TreeRemoval removal = store().removeTree(a.id(), true, seconds(1));

        assertThat(removal).isInstanceOfSatisfying(TreeRemoval.Removed.class, r -> assertThat(r.rows())
                .extracting(Workspace::id)
                .containsExactly(b.id(), a.id()));
    }

    @Test
    void twoConcurrentReparentingsNeverCloseALoop() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            Workspace x = create(ONLINE);
            Workspace y = create(ONLINE);

            List<Outcome> outcomes = together(() -> reparent(x.id(), y.id()), () -> reparent(y.id(), x.id()));

            assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded()).singleElement().satisfies(o -> assertThat(o.failure())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("parent_id would create a cycle"));
            WorkspaceId winnersParent = outcomes.get(0).succeeded() ? y.id() : x.id();
            assertThat(Arrays.asList(parentOf(x.id()), parentOf(y.id())))
                    .as("trial %d: one link, not a loop", trial)
                    .containsExactlyInAnyOrder(null, winnersParent);
        }
    }

    @Test
    void aChildCreatedWhileItsParentIsRemovedNeverOutlivesIt() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            Workspace parent = create(ONLINE);
            WorkspaceId child = WorkspaceId.random();

            List<Outcome> outcomes = together(
                    () -> createChild(child, parent.id()), () -> store().removeTree(parent.id(), true, seconds(1)));

            assertThat(outcomes.get(1).succeeded()).isTrue();
            if (outcomes.get(0).succeeded()) {
                assertThat(store().find(child).orElseThrow().status())
                        .as("trial %d: the child created first is removed with its parent", trial)
                        .isEqualTo(REMOVED);
            } else {
                assertThat(outcomes.get(0).failure())
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessage("parent workspace is removed");
            }
            assertThat(store().list()).as("trial %d", trial).isEmpty();
        }
    }

    @Test
    void aWorkspaceMovedUnderAParentBeingRemovedNeverOutlivesIt() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            Workspace parent = create(ONLINE);
            Workspace mover = create(ONLINE);

            List<Outcome> outcomes = together(
                    () -> reparent(mover.id(), parent.id()), () -> store().removeTree(parent.id(), true, seconds(1)));

            WorkspaceStatus moverNow = store().find(mover.id()).orElseThrow().status();
            if (outcomes.get(0).succeeded()) {
                assertThat(moverNow).as("trial %d", trial).isEqualTo(REMOVED);
            } else {
                assertThat(outcomes.get(0).failure()).hasMessage("parent workspace is removed");
                assertThat(moverNow).isEqualTo(ONLINE);
            }
            store().list().forEach(w -> assertThat(w.parentId()).isNull());
        }
    }

    @Test
    void aParentRemovedAloneWhileAChildArrivesIsEitherKeptOrLeftWithoutChildren() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            Workspace parent = create(ONLINE);
            WorkspaceId child = WorkspaceId.random();

            List<Outcome> outcomes = together(
                    () -> createChild(child, parent.id()), () -> store().removeTree(parent.id(), false, seconds(1)));

            boolean parentRemoved = store().find(parent.id()).orElseThrow().status() == REMOVED;
            boolean childLive =
                    store().find(child).filter(w -> w.status() != REMOVED).isPresent();
            assertThat(parentRemoved && childLive).as("trial %d", trial).isFalse();
            assertThat(outcomes.get(1).result())
                    .isInstanceOf(parentRemoved ? TreeRemoval.Removed.class : TreeRemoval.ChildrenNotConfirmed.class);
        }
    }

    private Workspace createChild(WorkspaceId id, WorkspaceId parent) {
        return store().create(
                        new NewWorkspace(id, "child", null, 2, "echo", "process", ONLINE, null, parent, null),
                        new WorkspaceEvent.Provisioning(id, "child", 2, "echo"),
                        T0);
    }

    private Workspace reparent(WorkspaceId id, WorkspaceId parent) {
        return store().update(id, WorkspacePatch.NONE.withParentId(Change.to(parent)), seconds(1))
                .orElseThrow();
    }

    private @Nullable WorkspaceId parentOf(WorkspaceId id) {
        return store().find(id).orElseThrow().parentId();
    }

    /** What one of two racing calls did: its result, or what it threw. */
    private record Outcome(
            @Nullable Object result, @Nullable Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    /** Starts both calls at the same moment and waits for both; outcomes in the order given. */
    private static List<Outcome> together(Callable<?> first, Callable<?> second) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<?> call : List.of(first, second)) {
                running.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<?> f : running) {
            try {
                outcomes.add(new Outcome(f.get(), null));
            } catch (ExecutionException e) {
                outcomes.add(new Outcome(null, e.getCause()));
            }
        }
        return outcomes;
    }
}
