package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FakeClockTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void standsStillUntilAdvanced() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(START.plusSeconds(90));
        assertThat(clock.millis()).isEqualTo(START.plusSeconds(90).toEpochMilli());
    }

    @Test
    void canBeSetBackLikeASteppedWallClock() {
        FakeClock clock = new FakeClock(START);

        clock.set(START.minusSeconds(5));

        assertThat(clock.instant()).isEqualTo(START.minusSeconds(5));
    }

    @Test
    void refusesToAdvanceBackwards() {
        FakeClock clock = new FakeClock(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void aCopyInAnotherZoneSharesTheTime() {
        FakeClock clock = new FakeClock(START);
        FakeClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(1));

        assertThat(paris.instant()).isEqualTo(START.plusSeconds(60));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void advancesFromManyThreadsAddUp() {
        FakeClock clock = new FakeClock(START);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            IntStream.range(0, 1000).forEach(i -> threads.execute(() -> clock.advance(Duration.ofMillis(1))));
        }

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(1));
    }
}
