package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.BackoffPolicy;
import dev.lifeline.core.Evidence;
import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Crash-loop budget, provision timeout and the degraded state, decided with a fake clock. */
class RestartPolicyTest {
    private static final SupervisorConfig NO_DELAYS = new SupervisorConfig(
            Duration.ofSeconds(15),
            Duration.ofSeconds(90),
            new BackoffPolicy(Duration.ZERO, Duration.ZERO, 0),
            Duration.ofMinutes(10),
            Duration.ofSeconds(60),
            3,
            8,
            Duration.ofMinutes(10),
            Map.of("slow-runtime", Duration.ofMinutes(30)),
            "http://127.0.0.1:8080",
            Map.of());

    private final Wiring wiring = new Wiring(NO_DELAYS);

    @AfterEach
    void close() {
        wiring.close();
    }

    private Workspace withInstance(WorkspaceId id, long generation) {
        await().until(() -> {
            Workspace w = wiring.store.find(id).orElseThrow();
            return w.generation() == generation && w.instanceRef() != null;
        });
        return wiring.store.find(id).orElseThrow();
    }

    @Test
    void anAgentThatKeepsDyingIsFailedWithTheReasonOnceItsBudgetIsSpent() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);

        for (int generation = 1; generation <= 4; generation++) {
            wiring.supervisor.suspect(withInstance(w.id(), generation), Evidence.BACKEND_WATCH);
            if (generation < 4) {
                withInstance(w.id(), generation + 1);
            }
        }

        await().until(() -> wiring.status(w.id()) == WorkspaceStatus.FAILED);
        assertThat(wiring.store.find(w.id()).orElseThrow().failureReason()).startsWith("crash loop");
        assertThat(wiring.backend.starts()).hasSize(4);
        assertThat(wiring.events).endsWith("WORKSPACE_OFFLINE", "WORKSPACE_PROVISION_FAILED");
    }

    @Test
    void aManualRestartGivesAFailedWorkspaceAFreshBudget() {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        for (int generation = 1; generation <= 4; generation++) {
            wiring.supervisor.suspect(withInstance(w.id(), generation), Evidence.BACKEND_WATCH);
        }
        await().until(() -> wiring.status(w.id()) == WorkspaceStatus.FAILED);

        wiring.workspaces.restart(w.id());
        wiring.supervisor.suspect(withInstance(w.id(), 5), Evidence.BACKEND_WATCH);

        await().until(() -> wiring.store.find(w.id()).orElseThrow().generation() == 6);
    }

    @Test
    void aGenerationThatNeverRegistersIsFailedAndStoppedAfterTheProvisionTimeout() {
        WorkspaceId id = WorkspaceId.random();
        wiring.workspaces.create(
                new NewWorkspace(id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null, null));
        Workspace starting = withInstance(id, 1);
        HealthLoops loops = new HealthLoops(
                wiring.lifecycle, wiring.backends, wiring.supervisor, wiring.restarts, wiring.config, wiring.clock);

        wiring.clock.advance(Duration.ofMinutes(9));
        loops.expireProvisioning();
        assertThat(wiring.status(id)).isEqualTo(WorkspaceStatus.PROVISIONING);

        wiring.clock.advance(Duration.ofMinutes(2));
        loops.expireProvisioning();

        assertThat(wiring.status(id)).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(wiring.store.find(id).orElseThrow().failureReason()).contains("provisioning timed out after 600 s");
        assertThat(wiring.backend.stops()).containsExactly(starting.instanceRef());
    }

    @Test
    void aRuntimeWithItsOwnProvisionTimeoutGetsIt() {
        WorkspaceId id = WorkspaceId.random();
        wiring.workspaces.create(new NewWorkspace(
                id, "w", null, 2, "slow-runtime", "vm", WorkspaceStatus.PROVISIONING, null, null, null));
        withInstance(id, 1);
        HealthLoops loops = new HealthLoops(
                wiring.lifecycle, wiring.backends, wiring.supervisor, wiring.restarts, wiring.config, wiring.clock);

        wiring.clock.advance(Duration.ofMinutes(20));
        loops.expireProvisioning();

        assertThat(wiring.status(id)).isEqualTo(WorkspaceStatus.PROVISIONING);
    }

    @Test
    void aHighErrorRateDegradesTheWorkspaceAndALowOneBringsItBack() {
        Workspace w = wiring.running();
        TokenGrant grant = new TokenGrant(w.id(), w.generation());

        wiring.registry.heartbeat(w.id(), grant, new Heartbeat(0.6, "answered HTTP 500", 0, 10, null, 0));
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.DEGRADED);

        wiring.registry.heartbeat(w.id(), grant, new Heartbeat(0.3, null, 0, 20, null, 0));
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.DEGRADED);

        wiring.registry.heartbeat(w.id(), grant, new Heartbeat(0.05, null, 0, 30, null, 0));
        assertThat(wiring.status(w.id())).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(wiring.events).containsSubsequence("WORKSPACE_DEGRADED", "WORKSPACE_ONLINE");
        assertThat(wiring.events.stream().filter("WORKSPACE_DEGRADED"::equals)).hasSize(1);
    }
}
