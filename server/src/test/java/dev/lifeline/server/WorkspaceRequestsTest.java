package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.CanvasPosition;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.WorkspacePatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every field of a create or a PATCH has its type and range; a wrong one is refused by name. */
class WorkspaceRequestsTest {

    private static JsonNode body(Map<String, ?> fields) {
        return Json.MAPPER.valueToTree(fields);
    }

    private static NewWorkspace create(Map<String, ?> fields) {
        Map<String, Object> all = new HashMap<>(Map.of("name", "w"));
        all.putAll(fields);
        return WorkspaceRequests.create(body(all), "process", url -> url);
    }

    private static WorkspacePatch patch(Map<String, ?> fields) {
        return WorkspaceRequests.patch(body(fields));
    }

    private static void refusedNaming(Runnable request, String field) {
        assertThatThrownBy(request::run)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(field + " ");
    }

    @Test
    void aParentIdThatIsNotAnIdIsRefusedInsteadOfClearingTheParent() {
        for (Object bad : new Object[] {Map.of(), 7, true, "not-a-uuid"}) {
            refusedNaming(() -> patch(Map.of("parent_id", bad)), "parent_id");
            refusedNaming(() -> create(Map.of("parent_id", bad)), "parent_id");
        }
        Map<String, Object> clear = new HashMap<>();
        clear.put("parent_id", null);
        assertThat(patch(clear).parentId()).isInstanceOf(WorkspacePatch.Change.Clear.class);
        String parent = UUID.randomUUID().toString();
        assertThat(create(Map.of("parent_id", parent)).parentId()).hasToString(parent);
    }

    @Test
    void externalIsABoolean() {
        refusedNaming(() -> create(Map.of("external", "true")), "external");
        refusedNaming(() -> create(Map.of("external", 1)), "external");
        assertThat(create(Map.of("external", true)).backend()).isEqualTo("external");
        assertThat(create(Map.of("external", false)).backend()).isEqualTo("process");
    }

    @Test
    void theTierIsOneToFourAndZeroIsNotTheDefault() {
        for (Object bad : new Object[] {0, 5, -1, 2.5, "2"}) {
            refusedNaming(() -> create(Map.of("tier", bad)), "tier");
            refusedNaming(() -> patch(Map.of("tier", bad)), "tier");
        }
        assertThat(create(Map.of("tier", 4)).tier()).isEqualTo(4);
        assertThat(create(Map.of()).tier()).isEqualTo(2);
    }

    @Test
    void theExternalBackendNeedsTheExternalFlagAndTheFlagNoOtherBackend() {
        assertThatThrownBy(() -> create(Map.of("backend", "external")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("backend 'external' is only for external workspaces");
        assertThatThrownBy(() -> create(Map.of("external", true, "backend", "docker")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("backend 'docker' cannot run an external workspace");
        assertThat(create(Map.of("external", true, "backend", "external")).backend())
                .isEqualTo("external");
        assertThat(create(Map.of("runtime", "external")).backend()).isEqualTo("external");
    }

    @Test
    void textFieldsAreStringsWithinTheirLength() {
        refusedNaming(() -> create(Map.of("runtime", 1)), "runtime");
        refusedNaming(() -> create(Map.of("backend", Map.of())), "backend");
        refusedNaming(() -> create(Map.of("role", 3)), "role");
        refusedNaming(() -> create(Map.of("name", "n".repeat(256))), "name");
        refusedNaming(() -> create(Map.of("runtime", "r".repeat(101))), "runtime");
        refusedNaming(() -> create(Map.of("external", true, "url", "u".repeat(2049))), "url");
        refusedNaming(() -> patch(Map.of("name", 5)), "name");
        assertThat(create(Map.of("name", "n".repeat(255))).name()).hasSize(255);
    }

    @Test
    void numbersAreWholeAndInRange() {
        refusedNaming(() -> create(Map.of("budget_limit", -1)), "budget_limit");
        refusedNaming(() -> create(Map.of("budget_limit", "500")), "budget_limit");
        refusedNaming(() -> patch(Map.of("budget_limit", 1.5)), "budget_limit");
        refusedNaming(() -> create(Map.of("hibernation_idle_minutes", 525_601)), "hibernation_idle_minutes");
        refusedNaming(() -> patch(Map.of("hibernation_idle_minutes", "30")), "hibernation_idle_minutes");
        assertThat(create(Map.of("budget_limit", 5000, "hibernation_idle_minutes", 30))
                        .hibernationIdleMinutes())
                .isEqualTo(30);
    }

    @Test
    void theCanvasPlacesANewNodeWithCanvasXyAndElseItIsAtTheOrigin() {
        assertThat(create(Map.of("canvas", Map.of("x", 312.5, "y", 140))).position())
                .isEqualTo(new CanvasPosition(312.5, 140));
        assertThat(create(Map.of()).position()).isEqualTo(CanvasPosition.ORIGIN);
        refusedNaming(() -> create(Map.of("canvas", Map.of("x", 1))), "canvas.y");
        refusedNaming(() -> create(Map.of("canvas", Map.of("x", "1", "y", 2))), "canvas.x");
        refusedNaming(() -> create(Map.of("canvas", List.of(1, 2))), "canvas");
    }

    @Test
    void aPatchMovesANodeWithXAndYTogetherAndCollapsesItWithABoolean() {
        WorkspacePatch moved = patch(Map.of("x", -40.25, "y", 1e6));
        assertThat(moved.position()).isEqualTo(new CanvasPosition(-40.25, 1e6));
        assertThat(moved.layoutOnly()).isTrue();
        assertThat(patch(Map.of("collapsed", true)).collapsed()).isTrue();
        String parent = UUID.randomUUID().toString();
        WorkspacePatch nested = patch(Map.of("parent_id", parent, "x", 10, "y", 20));
        assertThat(nested.position()).isEqualTo(new CanvasPosition(10, 20));
        assertThat(nested.layoutOnly()).isFalse();

        refusedNaming(() -> patch(Map.of("x", 10)), "y");
        refusedNaming(() -> patch(Map.of("y", 10)), "x");
        refusedNaming(() -> patch(Map.of("x", 2e9, "y", 0)), "x");
        refusedNaming(() -> patch(Map.of("x", 0, "y", "NaN")), "y");
        refusedNaming(() -> patch(Map.of("collapsed", "true")), "collapsed");
    }
}
