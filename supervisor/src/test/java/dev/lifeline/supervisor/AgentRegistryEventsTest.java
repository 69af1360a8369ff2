package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceStatus;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a canvas learns from agents without reloading: their tasks and their cards as they change. */
class AgentRegistryEventsTest {
    private final Wiring wiring = new Wiring();

    @AfterEach
    void close() {
        wiring.close();
    }

    private static TokenGrant grant(Workspace w) {
        return new TokenGrant(w.id(), w.generation());
    }

    private static Heartbeat beat(int activeTasks, @Nullable String task) {
        return new Heartbeat(0, null, activeTasks, 60, task, 0);
    }

    private List<Map<String, Object>> payloads(String type) {
        return wiring.published.stream()
                .map(PublishedEvent::event)
                .filter(e -> e.type().equals(type))
                .map(WorkspaceEvent::payload)
                .toList();
    }

    @Test
    void aHeartbeatThatChangesTheTaskOrItsCountIsAnnouncedOnceWithBoth() {
        Workspace w = wiring.running();

        wiring.registry.heartbeat(w.id(), grant(w), beat(1, "summarising the report"));
        wiring.registry.heartbeat(w.id(), grant(w), beat(1, "summarising the report"));
        wiring.registry.heartbeat(w.id(), grant(w), beat(2, "summarising the report"));
        wiring.registry.heartbeat(w.id(), grant(w), beat(0, null));

        assertThat(payloads("TASK_UPDATED"))
                .containsExactly(
                        Map.of("current_task", "summarising the report", "active_tasks", 1),
                        Map.of("current_task", "summarising the report", "active_tasks", 2),
                        Map.of("current_task", "", "active_tasks", 0));
        assertThat(payloads("WORKSPACE_HEARTBEAT")).hasSize(4);
    }

    @Test
    void anIdleAgentsHeartbeatsAnnounceNoTask() {
        Workspace w = wiring.running();

        wiring.registry.heartbeat(w.id(), grant(w), beat(0, null));

        assertThat(wiring.events).doesNotContain("TASK_UPDATED");
    }

    @Test
    void anOnlineAgentRegisteringADifferentCardHasItStoredAndAnnounced() {
        Workspace w = wiring.running();
        Map<String, @Nullable Object> card = Map.of("skills", List.of("draft"));

        wiring.registry.register(w.id(), grant(w), "http://127.0.0.1:1", card);
        wiring.registry.register(w.id(), grant(w), "http://127.0.0.1:1", card);

        assertThat(payloads("AGENT_CARD_UPDATED")).containsExactly(Map.of("agent_card", card));
        assertThat(wiring.store.find(w.id()).orElseThrow().agentCard()).isEqualTo("{\"skills\":[\"draft\"]}");
        assertThat(wiring.store.recentEvents(w.id(), 1).getFirst().type()).isEqualTo("AGENT_CARD_UPDATED");
    }

    @Test
    void aRegistrationThatBringsTheWorkspaceOnlineBroadcastsItsNewCard() {
        Workspace w = wiring.running();
        wiring.registry.heartbeat(w.id(), grant(w), beat(0, null));
        wiring.lifecycle.apply(Transition.to(
                        w.id(),
                        WorkspaceStatus.OFFLINE,
                        new WorkspaceEvent.Offline(w.id(), "test"),
                        wiring.clock.instant())
                .ifGeneration(w.generation()));

        wiring.registry.register(w.id(), grant(w), "http://127.0.0.1:1", Map.of("name", "writer"));

        assertThat(wiring.events).containsSubsequence("WORKSPACE_ONLINE", "AGENT_CARD_UPDATED");
        assertThat(wiring.store.recentEvents(w.id(), 1).getFirst().type())
                .as("the stored WORKSPACE_ONLINE holds the card")
                .isEqualTo("WORKSPACE_ONLINE");
    }

    @Test
    void aCardUpdateIsAnnouncedOnlyWhenTheCardChanges() {
        Workspace w = wiring.running();

        wiring.registry.updateCard(w.id(), grant(w), Map.of("name", "v1"));
        wiring.registry.updateCardAsOperator(w.id(), Map.of("name", "v1"));
        wiring.registry.updateCardAsOperator(w.id(), Map.of("name", "v2"));

        assertThat(payloads("AGENT_CARD_UPDATED"))
                .containsExactly(
                        Map.of("agent_card", Map.of("name", "v1")), Map.of("agent_card", Map.of("name", "v2")));
    }
}
