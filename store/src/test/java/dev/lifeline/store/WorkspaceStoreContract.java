package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.AWAITING_AGENT;
import static dev.lifeline.core.WorkspaceStatus.FAILED;
import static dev.lifeline.core.WorkspaceStatus.OFFLINE;
import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static dev.lifeline.core.WorkspaceStatus.PAUSED;
import static dev.lifeline.core.WorkspaceStatus.PROVISIONING;
import static dev.lifeline.core.WorkspaceStatus.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.lifeline.core.WorkspaceStore} on a database must do; each database runs it
 * through a subclass. The tree is in {@link WorkspaceTreeContract}, heartbeats, instances, tokens and
 * events in {@link WorkspaceRecordsContract}, patches in {@link WorkspacePatchContract}, the audit
 * trail in {@link ActivityLogContract} and what the canvas keeps in {@link CanvasStateContract}.
 */
abstract class WorkspaceStoreContract extends WorkspaceTreeContract {

    @Test
    void createStoresTheWorkspaceAtGenerationOneAndRecordsItsEvent() {
        WorkspaceId id = WorkspaceId.random();
        var event = new WorkspaceEvent.Provisioning(id, "alpha", 3, "echo");

        Workspace w = store().create(
                        new NewWorkspace(id, "alpha", "writer", 3, "echo", "process", PROVISIONING, null, null, null),
                        event,
                        T0);

        assertThat(w.id()).isEqualTo(id);
        assertThat(w.name()).isEqualTo("alpha");
        assertThat(w.role()).isEqualTo("writer");
        assertThat(w.tier()).isEqualTo(3);
        assertThat(w.backend()).isEqualTo("process");
        assertThat(w.status()).isEqualTo(PROVISIONING);
        assertThat(w.generation()).isEqualTo(1);
        assertThat(w.instance()).isEmpty();
        assertThat(w.restartAttempts()).isZero();
        assertThat(w.createdAt()).isEqualTo(T0);
        assertThat(w.updatedAt()).isEqualTo(T0);
        assertThat(store().find(id)).contains(w);
        List<StoredEvent> events = store().recentEvents(id, 10);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().type()).isEqualTo("WORKSPACE_PROVISIONING");
        assertThat(events.getFirst().workspaceId()).isEqualTo(id);
        assertThat(events.getFirst().payloadJson()).isEqualTo(PayloadJson.write(event.payload()));
        assertThat(events.getFirst().createdAt()).isEqualTo(T0);
    }

    @Test
    void theEventsAfterOneAClientSawAreWhatItMissedOldestFirst() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        long seen = store().recentEvents(null, 1).getFirst().id();
        store().recordEvent(new WorkspaceEvent.Paused(a.id(), a.name()), T0.plusSeconds(1));
        store().recordEvent(new WorkspaceEvent.Offline(b.id(), "sweep"), T0.plusSeconds(2));
        store().recordEvent(new WorkspaceEvent.Removed(a.id()), T0.plusSeconds(3));

        assertThat(store().eventsAfter(null, seen, 10))
                .extracting(StoredEvent::type)
                .containsExactly("WORKSPACE_PAUSED", "WORKSPACE_OFFLINE", "WORKSPACE_REMOVED");
        assertThat(store().eventsAfter(a.id(), seen, 10))
                .extracting(StoredEvent::type)
                .containsExactly("WORKSPACE_PAUSED", "WORKSPACE_REMOVED");
        assertThat(store().eventsAfter(null, seen, 2))
                .extracting(StoredEvent::type)
                .containsExactly("WORKSPACE_PAUSED", "WORKSPACE_OFFLINE");
    }

    @Test
    void createKeepsTheParentAndTheUrlOfAnExternalWorkspace() {
        Workspace parent = create(ONLINE);
        WorkspaceId id = WorkspaceId.random();

        Workspace child = store().create(
                        new NewWorkspace(
                                id, "ext", null, 1, "any", "external", AWAITING_AGENT, "http://a:1", parent.id(), null),
                        new WorkspaceEvent.Provisioning(id, "ext", 1, "any"),
                        T0);

        assertThat(child.parentId()).isEqualTo(parent.id());
        assertThat(child.endpoint()).contains("http://a:1");
        assertThat(child.external()).isTrue();
        assertThat(child.role()).isNull();
    }

    @Test
    void instantsSurviveTheRoundTripToMicrosecondPrecision() {
        Workspace w = create(WorkspaceId.random(), ONLINE, T0.plusNanos(123_456_789));

        assertThat(w.createdAt()).isEqualTo(T0.plusNanos(123_456_000));
        assertThat(store().find(w.id()).orElseThrow().updatedAt()).isEqualTo(T0.plusNanos(123_456_000));
    }

    @Test
    void findOfAnUnknownWorkspaceIsEmpty() {
        assertThat(store().find(WorkspaceId.random())).isEmpty();
    }

    @Test
    void aTransitionAppliesWhenItsGuardHoldsAndStoresExactlyOneEvent() {
        Workspace w = create(PROVISIONING);
        Map<String, Object> card = Map.of("name", "alpha");
        var event = new WorkspaceEvent.Online(w.id(), "http://a:1", card, null);

        Workspace online = store().transition(Transition.to(w.id(), ONLINE, event, seconds(5))
                        .withUrl("http://a:1", PayloadJson.write(card))
                        .touchingHeartbeat())
                .orElseThrow();

        assertThat(online.status()).isEqualTo(ONLINE);
        assertThat(online.url()).isEqualTo("http://a:1");
        assertThat(online.agentCard()).isEqualTo("{\"name\":\"alpha\"}");
        assertThat(online.lastHeartbeatAt()).isEqualTo(seconds(5));
        assertThat(online.updatedAt()).isEqualTo(seconds(5));
        assertThat(online.generation()).isEqualTo(1);
        assertThat(eventTypes(w.id())).containsExactly("WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING");
        assertThat(store().recentEvents(w.id(), 1).getFirst().payloadJson())
                .isEqualTo("{\"url\":\"http://a:1\",\"agent_card\":{\"name\":\"alpha\"}}");
    }

    @Test
    void aTransitionIsRefusedWhenTheStatusIsNotInItsGuardAndStoresNoEvent() {
        Workspace failed = create(FAILED);

        assertThat(store().transition(offline(failed.id(), seconds(1)))).isEmpty();

        assertThat(store().find(failed.id())).contains(failed);
        assertThat(eventTypes(failed.id())).containsExactly("WORKSPACE_PROVISIONING");
    }

    @Test
    void aTransitionIsRefusedWhenTheGenerationMovedOn() {
        Workspace w = create(ONLINE);

        assertThat(store().transition(offline(w.id(), seconds(1)).ifGeneration(2)))
                .isEmpty();
        assertThat(store().transition(offline(w.id(), seconds(1)).ifGeneration(1)))
                .hasValueSatisfying(x -> assertThat(x.status()).isEqualTo(OFFLINE));
    }

    @Test
    void aTransitionWithAnEmptyGuardChangesNothing() {
        Workspace w = create(ONLINE);

        assertThat(store().transition(offline(w.id(), seconds(1)).onlyFrom(EnumSet.noneOf(WorkspaceStatus.class))))
                .isEmpty();
        assertThat(store().find(w.id())).contains(w);
    }

    @Test
    void aNewGenerationClearsEndpointInstanceAndFailureButKeepsRestartBookkeeping() throws SQLException {
        Workspace w = create(ONLINE);
        assertThat(store().recordInstance(w.id(), 1, new InstanceRef("pid-1"), "http://a:1", "server-1", T0))
                .isTrue();
        apply(Transition.to(w.id(), FAILED, new WorkspaceEvent.ProvisionFailed(w.id(), "boom"), seconds(1))
                .withFailure("boom"));
        execute("UPDATE workspaces SET restart_attempts = 3 WHERE id = '" + w.id() + "'");

        Workspace next = store().transition(reprovision(w.id(), seconds(2))).orElseThrow();

        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.status()).isEqualTo(PROVISIONING);
        assertThat(next.url()).isNull();
        assertThat(next.instanceRef()).isNull();
        assertThat(next.failureReason()).isNull();
        assertThat(next.restartAttempts()).isEqualTo(3);
    }

    @Test
    void aNewGenerationForgetsThePreviousGenerationsHeartbeat() {
        Workspace w = create(PROVISIONING);
        apply(online(w.id(), seconds(1)).touchingHeartbeat());

        Workspace next = store().transition(reprovision(w.id(), seconds(2))).orElseThrow();

        assertThat(next.lastHeartbeatAt()).isNull();
    }

    @Test
    void aFailureReasonIsStoredWithItsTransition() {
        Workspace w = create(PROVISIONING);

        Workspace failed = store().transition(
                        Transition.to(w.id(), FAILED, new WorkspaceEvent.ProvisionFailed(w.id(), "timeout"), seconds(1))
                                .withFailure("timeout"))
                .orElseThrow();

        assertThat(failed.failureReason()).isEqualTo("timeout");
        assertThat(eventTypes(w.id())).first().isEqualTo("WORKSPACE_PROVISION_FAILED");
    }

    @Test
    void aNewGenerationMayCarryTheUrlOfItsNextEndpoint() {
        Workspace w = create(OFFLINE);

        Workspace next = store().transition(reprovision(w.id(), seconds(1)).withUrl("http://b:2", null))
                .orElseThrow();

        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.url()).isEqualTo("http://b:2");
        assertThat(next.agentCard()).isNull();
    }

    @Test
    void clearingTheEndpointForgetsUrlAndInstanceButKeepsTheGeneration() {
        Workspace w = create(ONLINE);
        store().recordInstance(w.id(), 1, new InstanceRef("c-1"), "http://a:1", "server-1", T0);

        Workspace offline = store().transition(offline(w.id(), seconds(1)).clearingEndpoint())
                .orElseThrow();

        assertThat(offline.url()).isNull();
        assertThat(offline.instance()).isEmpty();
        assertThat(offline.generation()).isEqualTo(1);
    }

    @Test
    void aTransitionWhoseEventIsNotPersistedStoresNoEvent() {
        Workspace w = create(OFFLINE);
        var heartbeat = new WorkspaceEvent.Heartbeat(w.id(), 0, 10);

        assertThat(store().transition(Transition.to(w.id(), ONLINE, heartbeat, seconds(1))))
                .isPresent();
        assertThat(eventTypes(w.id())).containsExactly("WORKSPACE_PROVISIONING");
    }

    @Test
    void concurrentTransitionsOutOfOneStateLetExactlyOneWin() throws Exception {
        Workspace w = create(OFFLINE);
        int contenders = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Workspace>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < contenders; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return store().transition(reprovision(w.id(), seconds(1)).onlyFrom(EnumSet.of(OFFLINE)));
                }));
            }
            start.countDown();
        }

        long winners = 0;
        for (Future<Optional<Workspace>> r : results) {
            winners += r.get().isPresent() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(store().find(w.id()).orElseThrow().generation()).isEqualTo(2);
        assertThat(eventTypes(w.id())).hasSize(2);
    }

    @Test
    void removedWorkspacesAreNotListedButCanStillBeFound() {
        Workspace kept = create(ONLINE);
        Workspace gone = create(ONLINE);
        apply(remove(gone.id(), seconds(1)));

        assertThat(store().list()).extracting(Workspace::id).containsExactly(kept.id());
        assertThat(store().find(gone.id()))
                .hasValueSatisfying(x -> assertThat(x.status()).isEqualTo(REMOVED));
        assertThat(store().listByStatus(EnumSet.of(REMOVED)))
                .extracting(Workspace::id)
                .containsExactly(gone.id());
    }

    @Test
    void listIsOldestFirstWithTheIdBreakingTies() {
        WorkspaceId late = WorkspaceId.random();
        WorkspaceId lowId = new WorkspaceId(UUID.fromString("10000000-0000-4000-8000-000000000000"));
        WorkspaceId highId = new WorkspaceId(UUID.fromString("90000000-0000-4000-8000-000000000000"));
        create(late, ONLINE, seconds(9));
        create(highId, ONLINE, seconds(1));
        create(lowId, ONLINE, seconds(1));

        assertThat(store().list()).extracting(Workspace::id).containsExactly(lowId, highId, late);
    }

    @Test
    void listByStatusReturnsOnlyTheNamedStatuses() {
        Workspace online = create(ONLINE);
        Workspace offline = create(OFFLINE);
        create(PAUSED);

        assertThat(store().listByStatus(EnumSet.of(ONLINE, OFFLINE)))
                .extracting(Workspace::id)
                .containsExactlyInAnyOrder(online.id(), offline.id());
        assertThat(store().listByStatus(EnumSet.noneOf(WorkspaceStatus.class))).isEmpty();
    }

    @Test
    void theStatusConstraintRejectsAnUnknownStatus() {
        Workspace w = create(ONLINE);

        assertThatThrownBy(() -> execute("UPDATE workspaces SET status = 'hibernating' WHERE id = '" + w.id() + "'"))
                .isInstanceOf(SQLException.class);
        assertThat(store().find(w.id()).orElseThrow().status()).isEqualTo(ONLINE);
    }

    @Test
    void aFailedStatementIsReportedAsAStoreExceptionNamingTheOperation() {
        Workspace w = create(ONLINE);

        assertThatThrownBy(() -> create(w.id(), ONLINE, T0))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not create workspace");
        assertThat(eventTypes(w.id())).hasSize(1);
    }
}
