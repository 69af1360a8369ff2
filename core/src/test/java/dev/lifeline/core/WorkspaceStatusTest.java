package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WorkspaceStatusTest {
    private final WorkspaceId id = WorkspaceId.random();
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void removedIsTerminal() {
        for (WorkspaceStatus s : WorkspaceStatus.values()) {
            assertThat(WorkspaceStatus.REMOVED.canMoveTo(s))
                    .as("removed -> %s", s)
                    .isFalse();
        }
    }

    @Test
    void offlineIsReachedOnlyFromStatesThatCanHaveALiveInstance() {
        assertThat(WorkspaceStatus.OFFLINE.reachableFrom())
                .containsExactlyInAnyOrder(
                        WorkspaceStatus.PROVISIONING,
                        WorkspaceStatus.AWAITING_AGENT,
                        WorkspaceStatus.ONLINE,
                        WorkspaceStatus.DEGRADED);
    }

    @Test
    void pausedWorkspacesComeBackOnlyThroughProvisioning() {
        assertThat(WorkspaceStatus.ONLINE.reachableFrom()).doesNotContain(WorkspaceStatus.PAUSED);
        assertThat(WorkspaceStatus.PAUSED.canMoveTo(WorkspaceStatus.PROVISIONING))
                .isTrue();
    }

    @Test
    void anIllegalTransitionIsRejectedByName() {
        assertThatThrownBy(() -> WorkspaceStatus.REMOVED.checkMoveTo(WorkspaceStatus.ONLINE))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("workspace cannot move from removed to online");
    }

    @Test
    void aTransitionWhoseGuardNamesAnIllegalSourceCannotBeBuilt() {
        Transition t = Transition.to(id, WorkspaceStatus.ONLINE, new WorkspaceEvent.Removed(id), now);
        assertThatThrownBy(() -> t.onlyFrom(EnumSet.of(WorkspaceStatus.REMOVED)))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void wireFormIsLowerCase() {
        assertThat(WorkspaceStatus.AWAITING_AGENT.wire()).isEqualTo("awaiting_agent");
        assertThat(WorkspaceStatus.fromWire("hibernated")).isEqualTo(WorkspaceStatus.HIBERNATED);
    }
}
