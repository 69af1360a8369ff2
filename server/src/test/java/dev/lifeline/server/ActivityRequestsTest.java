package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.ActivityQuery.Callers;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.WorkspaceId;
import org.junit.jupiter.api.Test;

/** The activity query the canvas's chat, activity tab and agent panel send, and its bounds. */
class ActivityRequestsTest {
    private static final WorkspaceId ID = WorkspaceId.random();

    @Test
    void theChatHistoryAsksForCallsFromTheCanvasOnly() {
        assertThat(ActivityRequests.query(ID, "a2a_receive", "canvas", "50"))
                .isEqualTo(new ActivityQuery(ID, "a2a_receive", Callers.OPERATOR, 50));
    }

    @Test
    void theAgentPanelAsksForCallsFromWorkspaces() {
        assertThat(ActivityRequests.query(ID, null, "agent", "50"))
                .isEqualTo(new ActivityQuery(ID, null, Callers.WORKSPACES, 50));
    }

    @Test
    void withoutParametersTheNewestHundredOfEveryKindAreRead() {
        assertThat(ActivityRequests.query(ID, null, null, null)).isEqualTo(ActivityQuery.recent(ID, 100));
        assertThat(ActivityRequests.query(ID, "", "", "")).isEqualTo(ActivityQuery.recent(ID, 100));
    }

    @Test
    void anUnknownSourceIsRefused() {
        assertThatThrownBy(() -> ActivityRequests.query(ID, null, "everyone", null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("source must be 'canvas' or 'agent'");
    }

    @Test
    void theLimitIsAWholeNumberFromOneToFiveHundred() {
        assertThat(ActivityRequests.query(ID, null, null, "500").limit()).isEqualTo(500);
        for (String bad : new String[] {"0", "-1", "501", "ten", "2.5", "99999999999"}) {
            assertThatThrownBy(() -> ActivityRequests.query(ID, null, null, bad))
                    .as(bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("limit must be a whole number from 1 to 500");
        }
    }

    @Test
    void aTypeIsBoundedInLength() {
        assertThatThrownBy(() -> ActivityRequests.query(ID, "t".repeat(101), null, null))
                .isInstanceOf(InvalidRequestException.class);
    }
}
