package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How much room an agent has for queued calls, from its heartbeats and this server's deliveries. */
class AgentLoadTest {
    private final FakeClock clock = FakeClock.atSomeInstant();
    private final AgentLoad load = new AgentLoad(clock, Duration.ofSeconds(30));
    private final WorkspaceId agent = WorkspaceId.random();

    @Test
    void anAgentThatNeverSaidItsCapacityTakesOneCallAtATimeAndIsNeverFull() {
        assertThat(load.room(agent)).isEqualTo(1);
        load.began(agent);
        assertThat(load.room(agent)).isZero();
        assertThat(load.atCapacity(agent)).isFalse();
    }

    @Test
    void aDeliveryThatEndsFreesItsRoomBeforeTheNextHeartbeat() {
        load.reported(agent, 1, 3, false);
        assertThat(load.room(agent)).isEqualTo(2);
        load.began(agent);
        load.began(agent);
        assertThat(load.atCapacity(agent)).isTrue();

        load.reported(agent, 3, 3, false); // counts the two deliveries and the agent's other task
        load.ended(agent);

        assertThat(load.room(agent)).isEqualTo(1);
    }

    @Test
    void anAgentThatAnsweredBusyGetsNoMoreUntilItsNextHeartbeatOrThePause() {
        load.reported(agent, 0, 2, false);
        load.sawBusy(agent);
        assertThat(load.room(agent)).isZero();

        clock.advance(Duration.ofSeconds(31));
        assertThat(load.room(agent)).isEqualTo(2);

        load.sawBusy(agent);
        load.reported(agent, 1, 2, false);
        assertThat(load.room(agent)).isEqualTo(1);
    }

    @Test
    void aNativeSessionIsWhatTheLastHeartbeatSaid() {
        load.reported(agent, 0, 1, true);
        assertThat(load.nativeSession(agent)).isTrue();
        load.reported(agent, 0, 1, false);
        assertThat(load.nativeSession(agent)).isFalse();
    }
}
