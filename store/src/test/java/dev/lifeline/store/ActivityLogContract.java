package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.ActivityQuery.Callers;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The store's contract for the A2A audit trail: what is kept, in which order, and for how long. */
abstract class ActivityLogContract extends CanvasStateContract {

    static Activity activity(WorkspaceId id, String summary, Instant at) {
        return new Activity(
                id, Activity.A2A_RECEIVE, null, id, "message/send", summary, null, null, 5, Activity.OK, null, at);
    }

    @Test
    void anActivityKeepsEveryFieldItWasGiven() {
        Workspace caller = create(ONLINE);
        Workspace target = create(ONLINE);
        var call = new Activity(
                target.id(),
                Activity.A2A_RECEIVE,
                caller.id().toString(),
                target.id(),
                "message/send",
                "message/send → ws-1",
                "{\"params\":{}}",
                "{\"result\":\"ok\"}",
                42,
                Activity.ERROR,
                "upstream answered 502",
                T0.plusNanos(123_456_789));

        store().recordActivity(call);

        assertThat(store().recentActivity(target.id(), 10))
                .containsExactly(new Activity(
                        target.id(),
                        Activity.A2A_RECEIVE,
                        caller.id().toString(),
                        target.id(),
                        "message/send",
                        "message/send → ws-1",
                        "{\"params\":{}}",
                        "{\"result\":\"ok\"}",
                        42,
                        Activity.ERROR,
                        "upstream answered 502",
                        T0.plusNanos(123_456_000)));
    }

    @Test
    void anActivityFromTheCanvasKeepsItsAbsentFieldsNull() {
        Workspace w = create(ONLINE);
        var call = new Activity(
                w.id(), "a2a_receive", null, null, null, "ping", null, null, 0, Activity.OK, null, seconds(1));

        store().recordActivity(call);

        assertThat(store().recentActivity(w.id(), 10)).containsExactly(call);
    }

    @Test
    void recentActivityIsNewestFirstLimitedAndOfOneWorkspace() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        store().recordActivity(activity(a.id(), "second", seconds(2)));
        store().recordActivity(activity(a.id(), "first", seconds(1)));
        store().recordActivity(activity(a.id(), "third", seconds(3)));
        store().recordActivity(activity(a.id(), "third, recorded later", seconds(3)));
        store().recordActivity(activity(b.id(), "other workspace", seconds(9)));

        assertThat(store().recentActivity(a.id(), 3))
                .extracting(Activity::summary)
                .containsExactly("third, recorded later", "third", "second");
        assertThat(store().recentActivity(a.id(), 100)).hasSize(4);
        assertThat(store().recentActivity(WorkspaceId.random(), 10)).isEmpty();
    }

    @Test
    void aNonPositiveLimitReturnsNoActivity() {
        Workspace w = create(ONLINE);
        store().recordActivity(activity(w.id(), "call", seconds(1)));

        assertThat(store().recentActivity(w.id(), 0)).isEmpty();
        assertThat(store().recentActivity(w.id(), -1)).isEmpty();
    }

    @Test
    void activityOfAnUnknownWorkspaceIsRefusedWithAStoreExceptionNamingTheOperation() {
        assertThatThrownBy(() -> store().recordActivity(activity(WorkspaceId.random(), "call", seconds(1))))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not record activity");
    }

    @Test
    void activityIsDeletedWithItsWorkspaceRow() throws SQLException {
        Workspace gone = create(ONLINE);
        Workspace kept = create(ONLINE);
        store().recordActivity(activity(gone.id(), "call", seconds(1)));
        store().recordActivity(activity(kept.id(), "call", seconds(1)));

        execute("DELETE FROM workspaces WHERE id = '" + gone.id() + "'");

        assertThat(store().recentActivity(gone.id(), 10)).isEmpty();
        assertThat(store().recentActivity(kept.id(), 10)).hasSize(1);
    }

    @Test
    void activityOfARemovedWorkspaceStaysUntilItsRowIsDeleted() {
        Workspace w = create(ONLINE);
        store().recordActivity(activity(w.id(), "call", seconds(1)));

        apply(remove(w.id(), seconds(2)));

        assertThat(store().recentActivity(w.id(), 10)).hasSize(1);
    }

    @Test
    void retentionDeletesActivityOlderThanTheCutoffOfEveryWorkspaceAndCountsIt() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        store().recordActivity(activity(a.id(), "old", seconds(1)));
        store().recordActivity(activity(b.id(), "old", seconds(2)));
        store().recordActivity(activity(a.id(), "at the cutoff", seconds(10)));
        store().recordActivity(activity(b.id(), "new", seconds(11)));

        assertThat(store().deleteActivityOlderThan(seconds(10), 100)).isEqualTo(2);

        assertThat(store().recentActivity(a.id(), 10))
                .extracting(Activity::summary)
                .containsExactly("at the cutoff");
        assertThat(store().recentActivity(b.id(), 10))
                .extracting(Activity::summary)
                .containsExactly("new");
        assertThat(store().deleteActivityOlderThan(seconds(10), 100)).isZero();
    }

    @Test
    void lastActivityCountsCallsToAndFromTheWorkspace() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        assertThat(store().lastActivityAt(a.id())).isEmpty();

        store().recordActivity(activity(a.id(), "a is called", seconds(1)));
        assertThat(store().lastActivityAt(a.id())).contains(seconds(1));

        store().recordActivity(new Activity(
                b.id(),
                Activity.A2A_RECEIVE,
                a.id().toString(),
                b.id(),
                "message/send",
                "a calls b",
                null,
                null,
                5,
                Activity.OK,
                null,
                seconds(7)));
        assertThat(store().lastActivityAt(a.id())).contains(seconds(7));
        assertThat(store().lastActivityAt(b.id())).contains(seconds(7));
    }

    @Test
    void aBatchOfActivityIsStoredWhole() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);

        store().recordActivities(java.util.List.of(
                activity(a.id(), "first", seconds(1)),
                activity(b.id(), "other", seconds(1)),
                activity(a.id(), "second", seconds(2))));

        assertThat(store().recentActivity(a.id(), 10))
                .extracting(Activity::summary)
                .containsExactly("second", "first");
        assertThat(store().recentActivity(b.id(), 10)).hasSize(1);
    }

    @Test
    void aQueryReadsOneTypeFromOneKindOfCallerWithIncreasingIds() {
        Workspace w = create(ONLINE);
        Workspace caller = create(ONLINE);
        store().recordActivity(activity(w.id(), "canvas call", seconds(1)));
        store().recordActivity(call(w, caller.id().toString(), "agent call", seconds(2)));
        store().recordActivity(new Activity(
                w.id(), "a2a_send", null, null, null, "other type", null, null, 0, Activity.OK, null, seconds(3)));
        store().recordActivity(activity(w.id(), "later canvas call", seconds(4)));

        var fromCanvas = store().activity(new ActivityQuery(w.id(), Activity.A2A_RECEIVE, Callers.OPERATOR, 10));
        var fromAgents = store().activity(new ActivityQuery(w.id(), null, Callers.WORKSPACES, 10));
        var everything = store().activity(ActivityQuery.recent(w.id(), 10));

        assertThat(fromCanvas)
                .extracting(s -> s.activity().summary())
                .containsExactly("later canvas call", "canvas call");
        assertThat(fromAgents).extracting(s -> s.activity().summary()).containsExactly("agent call");
        assertThat(everything).hasSize(4);
        assertThat(everything.getFirst().id())
                .isGreaterThan(everything.getLast().id());
        assertThat(store().activity(new ActivityQuery(w.id(), "a2a_send", Callers.ANY, 10)))
                .extracting(s -> s.activity().summary())
                .containsExactly("other type");
        assertThat(store().activity(ActivityQuery.recent(w.id(), 2))).hasSize(2);
    }

    private static Activity call(Workspace target, String caller, String summary, Instant at) {
        return new Activity(
                target.id(),
                Activity.A2A_RECEIVE,
                caller,
                target.id(),
                "message/send",
                summary,
                null,
                null,
                5,
                Activity.OK,
                null,
                at);
    }
}
