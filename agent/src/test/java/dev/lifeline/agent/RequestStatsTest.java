package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class RequestStatsTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final RequestStats stats = new RequestStats(clock);

    @Test
    void errorRateIsTheShareOf5xxAnswers() {
        answer(200);
        answer(502);
        answer(404);
        answer(503);

        RequestStats.Snapshot snapshot = stats.snapshot();

        assertThat(snapshot.errorRate()).isEqualTo(0.5);
        assertThat(snapshot.sampleError()).isEqualTo("answered HTTP 503");
    }

    @Test
    void answersOlderThanAMinuteNoLongerCount() {
        answer(500);
        now = now.plus(Duration.ofSeconds(30));
        answer(200);

        assertThat(stats.snapshot().errorRate()).isEqualTo(0.5);
        now = now.plus(Duration.ofSeconds(31));
        assertThat(stats.snapshot().errorRate()).isZero();
        assertThat(stats.snapshot().sampleError()).isEmpty();
    }

    @Test
    void activeTasksCountsRequestsInFlightAndNamesTheLatest() {
        RequestStats.Ticket first = stats.begin();
        first.describe("first task");
        RequestStats.Ticket second = stats.begin();
        second.describe("second\n task");

        assertThat(stats.snapshot().activeTasks()).isEqualTo(2);
        assertThat(stats.snapshot().currentTask()).isEqualTo("second task");
        second.end(200);
        assertThat(stats.snapshot().currentTask()).isEqualTo("first task");
        first.end(200);
        assertThat(stats.snapshot().activeTasks()).isZero();
        assertThat(stats.snapshot().currentTask()).isEmpty();
    }

    @Test
    void noRequestsMeanNoErrors() {
        assertThat(stats.snapshot().errorRate()).isZero();
    }

    private void answer(int status) {
        stats.begin().end(status);
    }
}
