package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Activity;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention by age: what goes, what stays, in batches far smaller than the backlog (fake clock). */
class RetentionTest {
    private final Wiring wiring = new Wiring();

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void rowsOlderThanTheRetentionGoInSmallBatchesAndNewerOnesStay() {
        Workspace w = wiring.running();
        for (int i = 0; i < 7; i++) {
            wiring.store.recordActivity(activity(w.id(), "old " + i));
            wiring.store.recordEvent(new WorkspaceEvent.Offline(w.id(), "old " + i), wiring.clock.instant());
        }
        wiring.clock.advance(Duration.ofDays(2));
        wiring.store.recordActivity(activity(w.id(), "new"));
        wiring.store.recordEvent(new WorkspaceEvent.Offline(w.id(), "new"), wiring.clock.instant());
        int eventsBefore = wiring.store.recentEvents(w.id(), 100).size();

        Retention retention = new Retention(
                wiring.store, new RetentionPolicy(Duration.ofDays(1), Duration.ofDays(1), 2), wiring.clock);

        Retention.Pruned pruned = retention.prune();

        assertThat(pruned.activity()).isEqualTo(7);
        assertThat(pruned.events()).isEqualTo(eventsBefore - 1);
        assertThat(wiring.store.recentActivity(w.id(), 100))
                .extracting(Activity::summary)
                .containsExactly("new");
        assertThat(wiring.store.recentEvents(w.id(), 100)).hasSize(1);
        assertThat(retention.prune()).isEqualTo(new Retention.Pruned(0, 0));
    }

    @Test
    void aRetentionOfZeroKeepsEverythingForever() {
        Workspace w = wiring.running();
        wiring.store.recordActivity(activity(w.id(), "ancient"));
        int events = wiring.store.recentEvents(w.id(), 100).size();
        wiring.clock.advance(Duration.ofDays(3650));

        Retention retention = new Retention(wiring.store, RetentionPolicy.keepForever(), wiring.clock);

        assertThat(retention.prune()).isEqualTo(new Retention.Pruned(0, 0));
        assertThat(wiring.store.recentActivity(w.id(), 100)).hasSize(1);
        assertThat(wiring.store.recentEvents(w.id(), 100)).hasSize(events);
    }

    @Test
    void eachTableKeepsItsOwnRetention() {
        Workspace w = wiring.running();
        wiring.store.recordActivity(activity(w.id(), "a month old"));
        int events = wiring.store.recentEvents(w.id(), 100).size();
        wiring.clock.advance(Duration.ofDays(31));

        Retention retention = new Retention(
                wiring.store, new RetentionPolicy(Duration.ofDays(30), Duration.ZERO, 1000), wiring.clock);

        assertThat(retention.prune()).isEqualTo(new Retention.Pruned(1, 0));
        assertThat(wiring.store.recentEvents(w.id(), 100)).hasSize(events);
    }

    private Activity activity(WorkspaceId id, String summary) {
        return new Activity(
                id, "a2a_receive", null, null, null, summary, null, null, 0, Activity.OK, null, wiring.clock.instant());
    }
}
