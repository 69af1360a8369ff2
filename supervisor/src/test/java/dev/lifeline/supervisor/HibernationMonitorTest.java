package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Activity;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Automatic hibernation: who is idle, for how long, and what happens then (fake clock). */
class HibernationMonitorTest {
    private final Wiring wiring = new Wiring();
    private final HibernationMonitor monitor = new HibernationMonitor(wiring.store, wiring.workspaces, wiring.clock);

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void aWorkspaceIdleBeyondItsThresholdIsStoppedAndHibernated() {
        Workspace w = wiring.running(10);

        wiring.clock.advance(Duration.ofMinutes(9));
        assertThat(monitor.hibernateIdle()).isEmpty();

        wiring.clock.advance(Duration.ofMinutes(1));
        assertThat(monitor.hibernateIdle()).containsExactly(w.id());
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.HIBERNATED);
        assertThat(wiring.backend.stops()).containsExactly(w.instanceRef());
        assertThat(wiring.events).containsExactly("WORKSPACE_HIBERNATED");
    }

    @Test
    void aCallToOrFromTheWorkspaceRestartsItsIdleTime() {
        Workspace called = wiring.running(10);
        Workspace caller = wiring.running(10);
        wiring.clock.advance(Duration.ofMinutes(8));
        wiring.store.recordActivity(call(caller.id(), called.id()));

        wiring.clock.advance(Duration.ofMinutes(8));
        assertThat(monitor.hibernateIdle()).isEmpty();

        wiring.clock.advance(Duration.ofMinutes(2));
        assertThat(monitor.hibernateIdle()).containsExactlyInAnyOrder(called.id(), caller.id());
    }

    @Test
    void aWorkspaceReportingActiveTasksIsNeverHibernated() {
        Workspace w = wiring.running(10);
        wiring.store.recordHeartbeat(w.id(), new Heartbeat(0, null, 1, 60, "long job", 0), wiring.clock.instant());

        wiring.clock.advance(Duration.ofHours(5));

        assertThat(monitor.hibernateIdle()).isEmpty();
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void withoutAThresholdOrWithZeroAWorkspaceNeverHibernates() {
        Workspace never = wiring.running(null);
        Workspace disabled = wiring.running(0);

        wiring.clock.advance(Duration.ofDays(30));

        assertThat(monitor.hibernateIdle()).isEmpty();
        assertThat(wiring.status(never.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.status(disabled.id())).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void theNextCallWakesAHibernatedWorkspaceIntoANewGeneration() {
        Workspace w = wiring.running(1);
        wiring.clock.advance(Duration.ofMinutes(1));
        monitor.hibernateIdle();

        wiring.restarts.wake(w.id());

        await().untilAsserted(() -> {
            Workspace woken = wiring.store.find(w.id()).orElseThrow();
            assertThat(woken.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
            assertThat(woken.generation()).isEqualTo(w.generation() + 1);
            assertThat(wiring.backend.starts()).hasSize(2);
        });
    }

    private Activity call(WorkspaceId from, WorkspaceId to) {
        return new Activity(
                to,
                Activity.A2A_RECEIVE,
                from.toString(),
                to,
                "message/send",
                "call",
                null,
                null,
                5,
                Activity.OK,
                null,
                wiring.clock.instant());
    }
}
