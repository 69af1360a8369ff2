package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static dev.lifeline.core.WorkspaceStatus.PROVISIONING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.CanvasPosition;
import dev.lifeline.core.CanvasViewport;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the store keeps for the operator's canvas: where each node is drawn and whether it is
 * collapsed, the one viewport, and agent cards replaced with their event.
 */
abstract class CanvasStateContract extends RetentionContract {

    @Test
    void aNodeNeverPlacedIsAtTheOriginAndExpanded() {
        Workspace w = create(ONLINE);

        assertThat(w.position()).isEqualTo(CanvasPosition.ORIGIN);
        assertThat(w.collapsed()).isFalse();
    }

    @Test
    void aWorkspaceIsCreatedWhereTheCanvasDropsIt() {
        WorkspaceId id = WorkspaceId.random();
        NewWorkspace spec = new NewWorkspace(
                id,
                "w",
                null,
                2,
                "echo",
                "process",
                PROVISIONING,
                null,
                null,
                null,
                null,
                new CanvasPosition(412.75, -96.5));

        store().create(spec, new WorkspaceEvent.Provisioning(id, "w", 2, "echo"), T0);

        assertThat(store().find(id).orElseThrow().position()).isEqualTo(new CanvasPosition(412.75, -96.5));
    }

    @Test
    void movingAndCollapsingANodeLeavesTheWorkspacesUpdateTimeAndStateAlone() {
        Workspace w = create(ONLINE);

        store().update(w.id(), WorkspacePatch.NONE.withPosition(new CanvasPosition(1.5, 2.25)), seconds(5));
        Workspace moved = store().update(w.id(), WorkspacePatch.NONE.withCollapsed(true), seconds(6))
                .orElseThrow();

        assertThat(moved.position()).isEqualTo(new CanvasPosition(1.5, 2.25));
        assertThat(moved.collapsed()).isTrue();
        assertThat(moved)
                .usingRecursiveComparison()
                .ignoringFields("position", "collapsed")
                .isEqualTo(w);
    }

    @Test
    void aNodeMovedUnderANewParentIsReparentedAndPlacedInOneWrite() {
        Workspace parent = create(ONLINE);
        Workspace w = create(ONLINE);

        Workspace moved = store().update(
                        w.id(),
                        WorkspacePatch.NONE
                                .withParentId(Change.to(parent.id()))
                                .withPosition(new CanvasPosition(40, 60)),
                        seconds(3))
                .orElseThrow();

        assertThat(moved.parentId()).isEqualTo(parent.id());
        assertThat(moved.position()).isEqualTo(new CanvasPosition(40, 60));
        assertThat(moved.updatedAt()).isEqualTo(seconds(3));
    }

    @Test
    void theViewportIsTheDefaultUntilSavedThenTheLastOneSaved() {
        assertThat(store().viewport()).isEqualTo(CanvasViewport.DEFAULT);

        store().saveViewport(new CanvasViewport(-120.5, 33, 0.75), seconds(1));
        store().saveViewport(new CanvasViewport(10, 20, 1.25), seconds(2));

        assertThat(store().viewport()).isEqualTo(new CanvasViewport(10, 20, 1.25));
    }

    @Test
    void aReplacedAgentCardIsStoredWithItsEventAndLeavesTheUpdateTimeAlone() {
        Workspace w = create(ONLINE);
        Map<String, Object> card = Map.of("name", "writer");
        WorkspaceEvent event = new WorkspaceEvent.AgentCardUpdated(w.id(), Map.copyOf(card), true);

        Workspace updated = store().replaceAgentCard(w.id(), PayloadJson.write(card), event, seconds(4))
                .orElseThrow();

        assertThat(updated.agentCard()).isEqualTo("{\"name\":\"writer\"}");
        assertThat(updated.updatedAt()).isEqualTo(w.updatedAt());
        StoredEvent stored = store().recentEvents(w.id(), 1).getFirst();
        assertThat(stored.type()).isEqualTo("AGENT_CARD_UPDATED");
        assertThat(stored.payloadJson()).isEqualTo("{\"agent_card\":{\"name\":\"writer\"}}");
    }

    @Test
    void theCardOfARemovedWorkspaceIsNotReplacedAndNoEventIsRecorded() {
        Workspace w = create(ONLINE);
        apply(remove(w.id(), seconds(1)));
        WorkspaceEvent event = new WorkspaceEvent.AgentCardUpdated(w.id(), Map.of("name", "late"), true);

        assertThat(store().replaceAgentCard(w.id(), "{\"name\":\"late\"}", event, seconds(2)))
                .isEmpty();
        assertThat(eventTypes(w.id())).doesNotContain("AGENT_CARD_UPDATED");
    }
}
