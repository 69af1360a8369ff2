package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import dev.lifeline.core.WorkspaceStatus;
import org.junit.jupiter.api.Test;

/** The store's contract for {@code update}: a patch sets, keeps or clears each column it names. */
abstract class WorkspacePatchContract extends ActivityLogContract {

    private Workspace createWithBudget(long budgetLimit) {
        WorkspaceId id = WorkspaceId.random();
        return store().create(
                        new NewWorkspace(id, "w", null, 2, "echo", "process", ONLINE, null, null, budgetLimit),
                        new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                        T0);
    }

    private Workspace update(Workspace w, WorkspacePatch patch) {
        return store().update(w.id(), patch, seconds(5)).orElseThrow();
    }

    @Test
    void createStoresTheBudgetLimit() {
        Workspace w = createWithBudget(1_000);

        assertThat(w.budgetLimit()).isEqualTo(1_000);
        assertThat(create(ONLINE).budgetLimit()).isNull();
    }

    @Test
    void aNewWorkspaceHasSpentNothingAndReportedNothing() {
        Workspace w = create(ONLINE);

        assertThat(w.monthlySpend()).isZero();
        assertThat(w.currentTask()).isNull();
        assertThat(w.lastSampleError()).isNull();
        assertThat(w.overBudget()).isFalse();
    }

    @Test
    void anEmptyPatchChangesOnlyTheUpdateTime() {
        Workspace w = createWithBudget(700);

        Workspace updated = update(w, WorkspacePatch.NONE);

        assertThat(WorkspacePatch.NONE.isEmpty()).isTrue();
        assertThat(updated.updatedAt()).isEqualTo(seconds(5));
        assertThat(updated)
                .usingRecursiveComparison()
                .ignoringFields("updatedAt")
                .isEqualTo(w);
    }

    @Test
    void aPatchSetsNameRoleAndTierAndLeavesEverythingElseAlone() {
        Workspace parent = create(ONLINE);
        Workspace w = create(ONLINE);
        update(w, WorkspacePatch.NONE.withParentId(Change.to(parent.id())).withBudgetLimit(Change.to(300L)));
        store().recordHeartbeat(w.id(), new Heartbeat(0.5, "oops", 1, 60, "task-1", 200), seconds(4));
        Workspace before = store().find(w.id()).orElseThrow();

        Workspace updated = update(
                w,
                WorkspacePatch.NONE
                        .withName("renamed")
                        .withRole(Change.to("reviewer"))
                        .withTier(4));

        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(updated.role()).isEqualTo("reviewer");
        assertThat(updated.tier()).isEqualTo(4);
        assertThat(updated)
                .usingRecursiveComparison()
                .ignoringFields("name", "role", "tier", "updatedAt")
                .isEqualTo(before);
        assertThat(store().find(w.id())).contains(updated);
    }

    @Test
    void aRoleIsKeptWhenNotGivenAndCanBeCleared() {
        Workspace w = create(ONLINE);
        update(w, WorkspacePatch.NONE.withRole(Change.to("writer")));

        assertThat(update(w, WorkspacePatch.NONE.withTier(3)).role()).isEqualTo("writer");
        assertThat(update(w, WorkspacePatch.NONE.withRole(Change.clear())).role())
                .isNull();
    }

    @Test
    void aParentIsKeptWhenNotGivenSetWhenGivenAndClearedWhenCleared() {
        Workspace first = create(ONLINE);
        Workspace second = create(ONLINE);
        Workspace child = create(ONLINE);

        assertThat(update(child, WorkspacePatch.NONE.withParentId(Change.to(first.id())))
                        .parentId())
                .isEqualTo(first.id());
        assertThat(update(child, WorkspacePatch.NONE.withName("kept")).parentId())
                .isEqualTo(first.id());
        assertThat(update(child, WorkspacePatch.NONE.withParentId(Change.toOrClear(second.id())))
                        .parentId())
                .isEqualTo(second.id());
        assertThat(update(child, WorkspacePatch.NONE.withParentId(Change.clear()))
                        .parentId())
                .isNull();
    }

    @Test
    void aBudgetLimitIsKeptWhenNotGivenSetWhenGivenAndClearedWhenCleared() {
        Workspace w = createWithBudget(500);

        assertThat(update(w, WorkspacePatch.NONE.withTier(1)).budgetLimit()).isEqualTo(500);
        assertThat(update(w, WorkspacePatch.NONE.withBudgetLimit(Change.to(900L)))
                        .budgetLimit())
                .isEqualTo(900);
        assertThat(update(w, WorkspacePatch.NONE.withBudgetLimit(Change.toOrClear(null)))
                        .budgetLimit())
                .isNull();
    }

    @Test
    void aWorkspaceIsOverBudgetOnceItsReportedSpendReachesTheLimit() {
        Workspace w = createWithBudget(500);

        store().recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 1, null, 499), seconds(1));
        assertThat(store().find(w.id()).orElseThrow().overBudget()).isFalse();
        store().recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 1, null, 500), seconds(2));
        assertThat(store().find(w.id()).orElseThrow().overBudget()).isTrue();
        assertThat(update(w, WorkspacePatch.NONE.withBudgetLimit(Change.clear()))
                        .overBudget())
                .isFalse();
    }

    @Test
    void aPatchOfARemovedWorkspaceChangesNothing() {
        Workspace w = create(ONLINE);
        apply(remove(w.id(), seconds(1)));
        Workspace removed = store().find(w.id()).orElseThrow();

        assertThat(store().update(
                                w.id(),
                                WorkspacePatch.NONE.withName("zombie").withBudgetLimit(Change.to(1L)),
                                seconds(2)))
                .isEmpty();
        assertThat(store().find(w.id())).contains(removed);
        assertThat(removed.status()).isEqualTo(WorkspaceStatus.REMOVED);
    }

    @Test
    void aPatchOfAnUnknownWorkspaceIsEmpty() {
        assertThat(store().update(WorkspaceId.random(), WorkspacePatch.NONE.withName("x"), seconds(1)))
                .isEmpty();
    }

    @Test
    void aPatchNamingAnUnknownParentIsRefusedAndChangesNothing() {
        Workspace w = create(ONLINE);

        assertThatThrownBy(() -> store().update(
                                w.id(),
                                WorkspacePatch.NONE.withName("renamed").withParentId(Change.to(WorkspaceId.random())),
                                seconds(1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("parent workspace not found");
        assertThat(store().find(w.id())).contains(w);
    }

    @Test
    void aPatchRecordsNoEvent() {
        Workspace w = create(ONLINE);

        update(w, WorkspacePatch.NONE.withName("renamed"));

        assertThat(eventTypes(w.id())).containsExactly("WORKSPACE_PROVISIONING");
    }

    @Test
    void hibernationIdleMinutesIsStoredSetAndCleared() {
        WorkspaceId id = WorkspaceId.random();
        Workspace w = store().create(
                        new NewWorkspace(id, "w", null, 2, "echo", "process", ONLINE, null, null, null, 30),
                        new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                        T0);
        assertThat(w.hibernationIdleMinutes()).isEqualTo(30);

        assertThat(update(w, WorkspacePatch.NONE.withHibernationIdleMinutes(Change.to(5)))
                        .hibernationIdleMinutes())
                .isEqualTo(5);
        assertThat(update(w, WorkspacePatch.NONE.withHibernationIdleMinutes(Change.clear()))
                        .hibernationIdleMinutes())
                .isNull();
    }

    @Test
    void hibernationCandidatesAreIdleCapableRowsWithoutActiveTasks() {
        Workspace enabled = createWithIdleMinutes(ONLINE, 10);
        Workspace busy = createWithIdleMinutes(ONLINE, 10);
        store().recordHeartbeat(busy.id(), new Heartbeat(0, null, 2, 60, null, 0), seconds(1));
        createWithIdleMinutes(ONLINE, 0);
        create(ONLINE);
        createWithIdleMinutes(WorkspaceStatus.OFFLINE, 10);

        assertThat(store().hibernationCandidates()).extracting(Workspace::id).containsExactly(enabled.id());
    }

    private Workspace createWithIdleMinutes(WorkspaceStatus status, int minutes) {
        WorkspaceId id = WorkspaceId.random();
        return store().create(
                        new NewWorkspace(id, "w", null, 2, "echo", "process", status, null, null, null, minutes),
                        new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                        T0);
    }
}
