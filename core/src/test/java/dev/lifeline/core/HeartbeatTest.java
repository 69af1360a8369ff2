package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A heartbeat that reached the store is in range, whatever path built it. */
class HeartbeatTest {

    @Test
    void anErrorRateOutsideZeroToOneOrNotANumberCannotBeRecorded() {
        for (double rate : new double[] {Double.NaN, -0.1, 1.1, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new Heartbeat(rate, null, 0, 0, null, 0))
                    .as("error rate %s", rate)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void negativeCountsCannotBeRecordedSoHibernationNeverSeesFewerThanNoTasks() {
        assertThatThrownBy(() -> new Heartbeat(0, null, -3, 0, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Heartbeat(0, null, 0, -1, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Heartbeat(0, null, 0, 0, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
