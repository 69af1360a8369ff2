package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.OFFLINE;
import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static dev.lifeline.core.WorkspaceStatus.PAUSED;
import static dev.lifeline.core.WorkspaceStatus.PROVISIONING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lifeline.core.Heartbeat;
import dev.lifeline.core.HeartbeatWrite;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.StoredEvent;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's contract for what happens beside transitions: instances, heartbeats, tokens, events. */
abstract class WorkspaceRecordsContract extends WorkspacePatchContract {

    /** A stand-in SHA-256: 32 bytes of {@code seed}. */
    static byte[] hash(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return bytes;
    }

    @Test
    void recordInstanceAppliesOnlyToTheCurrentGeneration() {
        Workspace w = create(PROVISIONING);

        assertThat(store().recordInstance(w.id(), 2, new InstanceRef("pid-9"), "http://x:9", "server-1", seconds(1)))
                .isFalse();
        assertThat(store().recordInstance(w.id(), 1, new InstanceRef("pid-1"), "http://a:1", "server-1", seconds(2)))
                .isTrue();

        Workspace stored = store().find(w.id()).orElseThrow();
        assertThat(stored.instance()).contains(new InstanceRef("pid-1"));
        assertThat(stored.url()).isEqualTo("http://a:1");
        assertThat(stored.updatedAt()).isEqualTo(seconds(2));
    }

    @Test
    void anInstanceRemembersTheServerThatStartedItUntilTheNextGeneration() {
        Workspace w = create(PROVISIONING);
        store().recordInstance(w.id(), 1, new InstanceRef("4242@1"), "http://a:1", "host-a", seconds(1));

        assertThat(store().find(w.id()).orElseThrow().startedBy()).isEqualTo("host-a");

        apply(reprovision(w.id(), seconds(2)));
        assertThat(store().find(w.id()).orElseThrow().startedBy()).isNull();
    }

    @Test
    void theFirstServerToAskNamesTheFleetForEveryServerAfterIt() {
        assertThat(store().fleetId("host-a")).isEqualTo("host-a");
        assertThat(store().fleetId("host-b")).isEqualTo("host-a");
        assertThat(store().fleetId("host-a")).isEqualTo("host-a");
    }

    @Test
    void anInstanceStartedWhileTheWorkspaceWasPausedIsNotRecorded() {
        Workspace w = create(ONLINE);
        apply(Transition.to(w.id(), WorkspaceStatus.PAUSED, new WorkspaceEvent.Paused(w.id(), "ws"), seconds(1)));

        assertThat(store().recordInstance(w.id(), 1, new InstanceRef("pid-1"), "http://a:1", "server-1", seconds(2)))
                .isFalse();
    }

    @Test
    void recordInstanceWithoutAUrlKeepsTheKnownUrl() {
        Workspace w = create(PROVISIONING);
        store().recordInstance(w.id(), 1, new InstanceRef("pid-1"), "http://a:1", "server-1", seconds(1));

        assertThat(store().recordInstance(w.id(), 1, new InstanceRef("pid-2"), null, "server-1", seconds(2)))
                .isTrue();

        assertThat(store().find(w.id()).orElseThrow().url()).isEqualTo("http://a:1");
    }

    @Test
    void recordInstanceIgnoresARemovedWorkspace() {
        Workspace w = create(ONLINE);
        apply(remove(w.id(), seconds(1)));

        assertThat(store().recordInstance(w.id(), 1, new InstanceRef("pid-1"), null, "server-1", seconds(2)))
                .isFalse();
        assertThat(store().find(w.id()).orElseThrow().instance()).isEmpty();
    }

    @Test
    void aHeartbeatStoresItsFigures() throws SQLException {
        Workspace w = create(ONLINE);

        Workspace beat = store().recordHeartbeat(w.id(), new Heartbeat(0.25, "oops", 2, 99, "task-7", 150), seconds(3))
                .orElseThrow();

        assertThat(beat.lastHeartbeatAt()).isEqualTo(seconds(3));
        assertThat(beat.lastErrorRate()).isEqualTo(0.25);
        assertThat(beat.activeTasks()).isEqualTo(2);
        assertThat(beat.uptimeSeconds()).isEqualTo(99);
        assertThat(beat.lastSampleError()).isEqualTo("oops");
        assertThat(beat.currentTask()).isEqualTo("task-7");
        assertThat(beat.monthlySpend()).isEqualTo(150);
        assertThat(store().find(w.id())).contains(beat);
        String where = " FROM workspaces WHERE id = '" + w.id() + "'";
        assertThat(value("SELECT last_sample_error" + where)).isEqualTo("oops");
        assertThat(value("SELECT current_task" + where)).isEqualTo("task-7");
        assertThat(value("SELECT monthly_spend" + where)).isEqualTo("150");
    }

    @Test
    void aLaterHeartbeatReplacesTheTaskAndTheSampleError() {
        Workspace w = create(ONLINE);
        store().recordHeartbeat(w.id(), new Heartbeat(0.5, "oops", 1, 1, "task-1", 0), seconds(1));

        store().recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 2, null, 0), seconds(2));

        Workspace stored = store().find(w.id()).orElseThrow();
        assertThat(stored.currentTask()).isNull();
        assertThat(stored.lastSampleError()).isNull();
    }

    @Test
    void aHeartbeatWithoutSpendKeepsTheLastReportedSpend() {
        Workspace w = create(ONLINE);
        store().recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 1, null, 500), seconds(1));

        store().recordHeartbeat(w.id(), new Heartbeat(0, null, 0, 2, null, 0), seconds(2));

        assertThat(store().find(w.id()).orElseThrow().monthlySpend()).isEqualTo(500);
    }

    @Test
    void aHeartbeatOfARemovedOrUnknownWorkspaceChangesNothing() throws SQLException {
        Workspace w = create(ONLINE);
        apply(remove(w.id(), seconds(1)));
        Heartbeat hb = new Heartbeat(0, null, 1, 1, null, 0);

        assertThat(store().recordHeartbeat(w.id(), hb, seconds(2))).isEmpty();
        assertThat(store().recordHeartbeat(WorkspaceId.random(), hb, seconds(2)))
                .isEmpty();
        assertThat(value("SELECT last_heartbeat_at FROM workspaces WHERE id = '" + w.id() + "'"))
                .isNull();
    }

    @Test
    void silentSinceUsesTheLastHeartbeatElseTheLastUpdate() {
        Workspace staleBeat = create(ONLINE);
        Workspace neverBeat = create(ONLINE);
        Workspace freshBeat = create(ONLINE);
        Workspace paused = create(PAUSED);
        store().recordHeartbeat(staleBeat.id(), new Heartbeat(0, null, 0, 1, null, 0), seconds(10));
        store().recordHeartbeat(freshBeat.id(), new Heartbeat(0, null, 0, 1, null, 0), seconds(60));

        assertThat(store().silentSince(EnumSet.of(ONLINE, OFFLINE), seconds(30)))
                .extracting(Workspace::id)
                .containsExactlyInAnyOrder(staleBeat.id(), neverBeat.id())
                .doesNotContain(paused.id());
        assertThat(store().silentSince(EnumSet.of(ONLINE), T0)).isEmpty();
    }

    @Test
    void heartbeatsWrittenInOneBatchLandOnlyOnTheirOwnGeneration() {
        Workspace current = create(ONLINE);
        Workspace restarted = create(ONLINE);
        apply(reprovision(restarted.id(), seconds(1)));
        store().recordHeartbeat(current.id(), new Heartbeat(0, null, 0, 1, null, 500), seconds(2));

        int changed = store().recordHeartbeats(List.of(
                new HeartbeatWrite(current.id(), 1, new Heartbeat(0.2, "e", 3, 40, "t", 0), seconds(5)),
                new HeartbeatWrite(restarted.id(), 1, new Heartbeat(0, null, 1, 40, null, 0), seconds(5))));

        assertThat(changed).isEqualTo(1);
        Workspace beat = store().find(current.id()).orElseThrow();
        assertThat(beat.lastHeartbeatAt()).isEqualTo(seconds(5));
        assertThat(beat.uptimeSeconds()).isEqualTo(40);
        assertThat(beat.activeTasks()).isEqualTo(3);
        assertThat(beat.currentTask()).isEqualTo("t");
        assertThat(beat.monthlySpend()).isEqualTo(500);
        assertThat(store().find(restarted.id()).orElseThrow().lastHeartbeatAt()).isNull();
    }

    @Test
    void aGrantNamesTheGenerationItsTokenWasMintedFor() {
        Workspace w = create(ONLINE);

        store().replaceToken(w.id(), 1, hash(1), "abcdefgh", T0);

        assertThat(store().findToken(hash(1))).contains(new TokenGrant(w.id(), 1));
        assertThat(store().findToken(hash(9))).isEmpty();
    }

    @Test
    void replacingATokenRevokesTheEarlierOnes() throws SQLException {
        Workspace w = create(ONLINE);
        store().replaceToken(w.id(), 1, hash(1), "aaaaaaaa", T0);
        store().replaceToken(w.id(), 1, hash(2), "bbbbbbbb", seconds(1));

        store().replaceToken(w.id(), 2, hash(3), "cccccccc", seconds(2));

        assertThat(store().findToken(hash(1))).isEmpty();
        assertThat(store().findToken(hash(2))).isEmpty();
        assertThat(store().findToken(hash(3))).contains(new TokenGrant(w.id(), 2));
        String tokens = "SELECT COUNT(*) FROM workspace_auth_tokens WHERE workspace_id = '" + w.id() + "'";
        assertThat(value(tokens + " AND revoked_at IS NOT NULL")).isEqualTo("2");
        assertThat(value("SELECT token_hash FROM workspace_auth_tokens WHERE prefix = 'cccccccc'"))
                .isEqualTo(HexFormat.of().formatHex(hash(3)));
    }

    @Test
    void replacingATokenLeavesOtherWorkspacesTokensAlone() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        store().replaceToken(a.id(), 1, hash(1), "aaaaaaaa", T0);

        store().replaceToken(b.id(), 1, hash(2), "bbbbbbbb", T0);

        assertThat(store().findToken(hash(1))).contains(new TokenGrant(a.id(), 1));
    }

    @Test
    void aTokenOfARemovedWorkspaceGrantsNothing() {
        Workspace w = create(ONLINE);
        store().replaceToken(w.id(), 1, hash(1), "aaaaaaaa", T0);

        apply(remove(w.id(), seconds(1)));

        assertThat(store().findToken(hash(1))).isEmpty();
    }

    @Test
    void aTokenHashCannotBelongToTwoWorkspaces() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        store().replaceToken(a.id(), 1, hash(7), "aaaaaaaa", T0);

        assertThatThrownBy(() -> store().replaceToken(b.id(), 1, hash(7), "bbbbbbbb", T0))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not replace workspace token");
        assertThat(store().findToken(hash(7))).contains(new TokenGrant(a.id(), 1));
    }

    @Test
    void recentEventsAreNewestFirstAndLimited() {
        Workspace a = create(ONLINE);
        Workspace b = create(ONLINE);
        for (int i = 1; i <= 4; i++) {
            store().recordEvent(new WorkspaceEvent.Offline(a.id(), "probe-" + i), seconds(i));
        }
        store().recordEvent(new WorkspaceEvent.Offline(b.id(), "probe-b"), seconds(5));

        assertThat(store().recentEvents(a.id(), 3))
                .extracting(StoredEvent::payloadJson)
                .containsExactly(
                        "{\"detected_by\":\"probe-4\"}",
                        "{\"detected_by\":\"probe-3\"}",
                        "{\"detected_by\":\"probe-2\"}");
        assertThat(store().recentEvents(null, 2))
                .extracting(StoredEvent::workspaceId, StoredEvent::createdAt)
                .containsExactly(tuple(b.id(), seconds(5)), tuple(a.id(), seconds(4)));
        assertThat(store().recentEvents(null, 100)).hasSize(7);
    }

    @Test
    void aBroadcastOnlyEventIsNotRecorded() {
        Workspace w = create(ONLINE);

        store().recordEvent(new WorkspaceEvent.Heartbeat(w.id(), 1, 2), seconds(1));

        assertThat(eventTypes(w.id())).containsExactly("WORKSPACE_PROVISIONING");
    }

    @Test
    void aNonPositiveLimitReturnsNoEvents() {
        create(ONLINE);

        assertThat(store().recentEvents(null, 0)).isEmpty();
    }

    @Test
    void eventsOfAWorkspaceOutliveItsRow() throws SQLException {
        Workspace w = create(ONLINE);

        execute("DELETE FROM workspaces WHERE id = '" + w.id() + "'");

        assertThat(store().recentEvents(w.id(), 10)).hasSize(1);
    }
}
