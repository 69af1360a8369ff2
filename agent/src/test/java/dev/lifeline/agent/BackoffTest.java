package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void registrationDelaysDoubleFrom200MillisecondsUpToFiveSeconds() {
        Backoff backoff = Backoff.REGISTRATION;

        assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(3_200));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }
}
