package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Activity;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Retention's bounded deletes of activity and events by age. */
abstract class RetentionContract extends RestartStateContract {

    @Test
    void aRetentionBatchDeletesNoMoreThanItsLimitOldestFirst() {
        Workspace w = create(ONLINE);
        IntStream.rangeClosed(1, 5)
                .forEach(s -> store().recordActivity(ActivityLogContract.activity(w.id(), "old " + s, seconds(s))));
        store().recordActivity(ActivityLogContract.activity(w.id(), "new", seconds(100)));

        assertThat(store().deleteActivityOlderThan(seconds(50), 2)).isEqualTo(2);
        assertThat(store().recentActivity(w.id(), 10))
                .extracting(Activity::summary)
                .containsExactly("new", "old 5", "old 4", "old 3");

        assertThat(store().deleteActivityOlderThan(seconds(50), 2)).isEqualTo(2);
        assertThat(store().deleteActivityOlderThan(seconds(50), 2)).isEqualTo(1);
        assertThat(store().deleteActivityOlderThan(seconds(50), 2)).isZero();
        assertThat(store().recentActivity(w.id(), 10))
                .extracting(Activity::summary)
                .containsExactly("new");
    }

    @Test
    void eventsOlderThanTheCutoffAreDeletedInBoundedBatchesAndNewerOnesStay() {
        Workspace w = create(ONLINE); // its creation event is at T0
        for (int s = 1; s <= 4; s++) {
            store().recordEvent(new WorkspaceEvent.Offline(w.id(), "sweep " + s), seconds(s));
        }
        store().recordEvent(new WorkspaceEvent.Offline(w.id(), "recent"), seconds(60));

        assertThat(store().deleteEventsOlderThan(seconds(4), 3)).isEqualTo(3);
        assertThat(store().deleteEventsOlderThan(seconds(4), 3)).isEqualTo(1);
        assertThat(store().deleteEventsOlderThan(seconds(4), 3)).isZero();

        assertThat(store().recentEvents(w.id(), 10))
                .extracting(StoredEvent::createdAt)
                .containsExactly(seconds(60), seconds(4));
    }
}
