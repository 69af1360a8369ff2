package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers sharing one database never restart a workspace twice: the claim of the next generation
 * is a compare-and-set on (status, generation), so only one replica's claim can win.
 */
class ReplicasTest {
    private final Wiring wiring = new Wiring();
    private final RestartCoordinator otherReplica = wiring.restartsOver(wiring.backends);

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void twoReplicasThatBothSeeTheDeathRestartTheWorkspaceOnce() throws Exception {
        Workspace w = wiring.running();
        wiring.backend.answerProbesWith(Liveness.STOPPED);
        Supervisor otherSupervisor =
                new Supervisor(wiring.lifecycle, wiring.backends, otherReplica, SupervisorMetrics.NONE, wiring.clock);

        Thread a = Thread.ofVirtual().start(() -> wiring.supervisor.suspect(w, Evidence.SWEEP));
        Thread b = Thread.ofVirtual().start(() -> otherSupervisor.suspect(w, Evidence.SWEEP));
        otherReplica.restartDue();
        a.join();
        b.join();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> wiring.backend.starts().size() >= 2);
        await().during(Duration.ofMillis(500))
                .until(() -> wiring.backend.starts().size() == 2);
        assertThat(wiring.store.find(w.id()).orElseThrow().generation()).isEqualTo(2);
        assertThat(wiring.events.stream().filter("WORKSPACE_PROVISIONING"::equals))
                .hasSize(1);
    }
}
