package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.testkit.ScriptedProvisioner;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor acts on proven death only, once, and never on stale evidence. */
class SupervisorTest {
    private Wiring wiring;
    private Supervisor supervisor;
    private ScriptedProvisioner backend;
    private List<String> events;

    @BeforeEach
    void wire() {
        wiring = new Wiring();
        supervisor = wiring.supervisor;
        backend = wiring.backend;
        events = wiring.events;
    }

    @AfterEach
    void close() {
        wiring.close();
    }

    private Workspace running() {
        return wiring.running();
    }

    @Test
    void provenDeathMarksOfflineAndStartsTheNextGeneration() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.STOPPED);

        assertThat(supervisor.suspect(w, Evidence.SWEEP)).isEqualTo(Verdict.DEAD_RESTARTING);

        await().until(() -> wiring.store.find(w.id()).orElseThrow().generation() == 2);
        assertThat(events).containsExactly("WORKSPACE_OFFLINE", "WORKSPACE_PROVISIONING");
        assertThat(backend.stops()).containsExactly(w.instanceRef());
    }

    @Test
    void neverRestartsWhenTheBackendCannotAnswer() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.unknown("timeout"));

        for (Evidence e : Evidence.values()) {
            assertThat(supervisor.suspect(w, e)).isEqualTo(Verdict.UNKNOWN);
        }

        assertThat(wiring.store.find(w.id()).orElseThrow().status()).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(events).isEmpty();
        assertThat(backend.starts()).hasSize(1);
    }

    @Test
    void aRunningAnswerChangesNothing() {
        Workspace w = running();

        assertThat(supervisor.suspect(w, Evidence.REACTIVE_UPSTREAM)).isEqualTo(Verdict.ALIVE);

        assertThat(events).isEmpty();
    }

    @Test
    void repeatedEvidenceOfOneDeathProducesOneTransitionAndOneRestart() {
        Workspace w = running();
        backend.answerProbesWith(Liveness.STOPPED);

        for (int i = 0; i < 5; i++) {
            supervisor.suspect(w, Evidence.REACTIVE_TRANSPORT);
        }

        await().until(() -> backend.starts().size() == 2);
        assertThat(events.stream().filter("WORKSPACE_OFFLINE"::equals)).hasSize(1);
        assertThat(wiring.store.find(w.id()).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void evidenceAboutAnEarlierGenerationIsIgnored() {
        Workspace first = running();
        wiring.workspaces.restart(first.id());
        await().until(() -> backend.starts().size() == 2);
        events.clear();
        backend.answerProbesWith(Liveness.STOPPED);

        supervisor.suspect(first, Evidence.REACTIVE_TRANSPORT);

        assertThat(events).doesNotContain("WORKSPACE_OFFLINE");
        assertThat(wiring.store.find(first.id()).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void aDeathNoticeForAnInstanceThatWasAlreadyReplacedIsIgnored() {
        Workspace first = running();
        wiring.workspaces.restart(first.id());
        await().until(() -> wiring.store.find(first.id()).orElseThrow().instanceRef() != null
                && !first.instanceRef()
                        .equals(wiring.store.find(first.id()).orElseThrow().instanceRef()));
        events.clear();
        backend.answerProbesWith(Liveness.STOPPED);

        supervisor.onDeath(first.id(), first.instanceRef(), "exit 137");

        assertThat(events).isEmpty();
    }

    @Test
    void aFailedStartMarksTheWorkspaceFailedWithTheReason() {
        backend.failStarts(true);
        WorkspaceId id = WorkspaceId.random();

        wiring.workspaces.create(
                new NewWorkspace(id, "w", null, 2, "echo", "vm", WorkspaceStatus.PROVISIONING, null, null, null));

        await().until(() -> wiring.store.find(id).orElseThrow().status() == WorkspaceStatus.FAILED);
        assertThat(wiring.store.find(id).orElseThrow().failureReason()).contains("scripted start failure");
        assertThat(events).contains("WORKSPACE_PROVISION_FAILED");
    }
}
