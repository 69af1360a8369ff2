package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PendingSendsTest {
    private static final PendingLimit LIMIT = new PendingLimit(1000, Duration.ofSeconds(30));

    private final FakeClock clock = FakeClock.atSomeInstant();
    private final PendingSends pending = new PendingSends(LIMIT, clock);

    @Test
    void aSendThatWouldPassTheByteLimitIsRefused() {
        assertThat(pending.admit(600)).isTrue();
        assertThat(pending.admit(400)).isTrue();

        assertThat(pending.admit(1)).isFalse();
    }

    @Test
    void writtenSendsMakeRoomAgain() {
        pending.admit(600);
        pending.admit(400);

        pending.done(600);

        assertThat(pending.admit(600)).isTrue();
    }

    @Test
    void aSendIsRefusedOnceTheOldestPendingOneWaitedLongerThanTheAgeLimit() {
        pending.admit(10);
        clock.advance(Duration.ofSeconds(20));
        pending.admit(10);
        clock.advance(Duration.ofSeconds(10));
        assertThat(pending.admit(10)).isTrue();

        clock.advance(Duration.ofMillis(1));

        assertThat(pending.admit(10)).isFalse();
    }

    @Test
    void theAgeLimitCountsFromTheOldestSendStillPending() {
        pending.admit(10);
        clock.advance(Duration.ofSeconds(20));
        pending.admit(10);
        clock.advance(Duration.ofSeconds(20));

        pending.done(10);

        assertThat(pending.admit(10)).isTrue();
    }

    @Test
    void aLoneSendLargerThanTheLimitStillGoesSoOneLargeEventCutsNobodyOff() {
        assertThat(pending.admit(5000)).isTrue();
        assertThat(pending.admit(1)).isFalse();

        pending.done(5000);

        assertThat(pending.admit(1)).isTrue();
    }
}
