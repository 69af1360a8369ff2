package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.DEGRADED;
import static dev.lifeline.core.WorkspaceStatus.OFFLINE;
import static dev.lifeline.core.WorkspaceStatus.PROVISIONING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.RestartState;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The restart bookkeeping is written by the guarded transitions themselves, so it changes exactly
 * when the status does and is shared by every server on the database.
 */
abstract class RestartStateContract extends StoreFixture {

    @Test
    void aDeathWritesItsStreakAndPendingRestartWithTheOfflineStatus() {
        Workspace w = create(PROVISIONING);
        apply(online(w.id(), seconds(1)));
        RestartState pending = new RestartState(2, seconds(1), seconds(40));

        Workspace offline = store().transition(offline(w.id(), seconds(30)).withRestart(pending))
                .orElseThrow();

        assertThat(offline.restart()).isEqualTo(pending);
        assertThat(offline.restartAttempts()).isEqualTo(2);
        assertThat(store().find(w.id()).orElseThrow().restart()).isEqualTo(pending);
    }

    @Test
    void aRefusedTransitionWritesNoRestartState() {
        Workspace w = create(PROVISIONING);

        assertThat(store().transition(offline(w.id(), seconds(1))
                        .onlyFrom(EnumSet.of(DEGRADED))
                        .withRestart(new RestartState(1, seconds(1), seconds(1)))))
                .isEmpty();

        assertThat(store().find(w.id()).orElseThrow().restart()).isEqualTo(RestartState.NONE);
    }

    @Test
    void theFirstOnlineOfAGenerationIsKeptAndANewGenerationForgetsIt() {
        Workspace w = create(PROVISIONING);
        apply(online(w.id(), seconds(5)));
        apply(Transition.to(w.id(), DEGRADED, new WorkspaceEvent.Degraded(w.id(), 0.6, "HTTP 500"), seconds(20)));
        apply(online(w.id(), seconds(30)));
        assertThat(store().find(w.id()).orElseThrow().onlineSince()).isEqualTo(seconds(5));

        apply(offline(w.id(), seconds(40)));
        assertThat(store().find(w.id()).orElseThrow().onlineSince()).isEqualTo(seconds(5));

        assertThat(store().transition(reprovision(w.id(), seconds(41)))
                        .orElseThrow()
                        .onlineSince())
                .isNull();
    }

    @Test
    void claimingTheNextGenerationEndsThePendingRestartButKeepsTheStreak() {
        Workspace w = create(PROVISIONING);
        apply(offline(w.id(), seconds(1)).withRestart(new RestartState(3, seconds(0), seconds(2))));

        Workspace next = store().transition(reprovision(w.id(), seconds(2))).orElseThrow();

        assertThat(next.restart()).isEqualTo(new RestartState(3, seconds(0), null));
    }

    @Test
    void aClaimCanClearTheStreak() {
        Workspace w = create(PROVISIONING);
        apply(offline(w.id(), seconds(1)).withRestart(new RestartState(3, seconds(0), seconds(2))));

        Workspace next = store().transition(reprovision(w.id(), seconds(2)).withRestart(RestartState.NONE))
                .orElseThrow();

        assertThat(next.restart()).isEqualTo(RestartState.NONE);
    }

    @Test
    void onlyOfflineWorkspacesWhoseRestartIsDueAreListedLongestOverdueFirst() {
        Workspace later = create(PROVISIONING);
        Workspace sooner = create(PROVISIONING);
        Workspace notYet = create(PROVISIONING);
        Workspace claimed = create(PROVISIONING);
        Workspace never = create(PROVISIONING);
        apply(offline(later.id(), seconds(1)).withRestart(new RestartState(1, seconds(1), seconds(9))));
        apply(offline(sooner.id(), seconds(1)).withRestart(new RestartState(2, seconds(0), seconds(5))));
        apply(offline(notYet.id(), seconds(1)).withRestart(new RestartState(3, seconds(0), seconds(11))));
        apply(offline(claimed.id(), seconds(1)).withRestart(new RestartState(1, seconds(1), seconds(1))));
        apply(reprovision(claimed.id(), seconds(2)));
        apply(offline(never.id(), seconds(1)));

        assertThat(store().restartsDue(seconds(10))).extracting(Workspace::id).containsExactly(sooner.id(), later.id());
        assertThat(store().restartsDue(seconds(10)))
                .allSatisfy(w -> assertThat(w.status()).isEqualTo(OFFLINE));
    }
}
