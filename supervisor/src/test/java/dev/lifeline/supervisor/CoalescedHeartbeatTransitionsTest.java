package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats wait in memory for their batch; the status changes they cause do not wait. */
class CoalescedHeartbeatTransitionsTest {
    private final Wiring wiring = new Wiring();

    @AfterEach
    void close() {
        wiring.close();
    }

    private Workspace stored(Workspace w) {
        return wiring.store.find(w.id()).orElseThrow();
    }

    @Test
    void aHeartbeatThatProvesAnOfflineAgentAliveBringsItOnlineBeforeAnyFlush() {
        Workspace w = wiring.running();
        wiring.lifecycle.apply(Transition.to(
                        w.id(),
                        WorkspaceStatus.OFFLINE,
                        new WorkspaceEvent.Offline(w.id(), "sweep"),
                        wiring.clock.instant())
                .ifGeneration(w.generation()));
        wiring.events.clear();

        wiring.coalescingRegistry.heartbeat(
                w.id(), new TokenGrant(w.id(), w.generation()), new Heartbeat(0, null, 0, 42, null, 0));

        assertThat(stored(w).status()).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.events).contains("WORKSPACE_ONLINE");
        assertThat(stored(w).uptimeSeconds())
                .as("the figures wait for the flush")
                .isZero();
        wiring.coalesced.flush();
        assertThat(stored(w).uptimeSeconds()).isEqualTo(42);
    }

    @Test
    void aHeartbeatWithAHighErrorRateDegradesTheWorkspaceBeforeAnyFlush() {
        Workspace w = wiring.running();

        wiring.coalescingRegistry.heartbeat(
                w.id(), new TokenGrant(w.id(), w.generation()), new Heartbeat(0.8, "HTTP 500", 0, 10, null, 0));

        assertThat(stored(w).status()).isEqualTo(WorkspaceStatus.DEGRADED);
        assertThat(wiring.events).contains("WORKSPACE_DEGRADED");
    }
}
