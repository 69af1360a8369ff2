package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the lane decides from a call's headers alone. */
class FastLaneTest {

    @Test
    void aCallerThatAcceptsOnlyAnEventStreamIsLeftToTheStreamingWay() {
        assertThat(FastLane.onlyEventStream("text/event-stream")).isTrue();
        assertThat(FastLane.onlyEventStream(" Text/Event-Stream ; q=1, text/event-stream"))
                .isTrue();
        assertThat(FastLane.onlyEventStream("application/json, text/event-stream"))
                .isFalse();
        assertThat(FastLane.onlyEventStream("*/*")).isFalse();
        assertThat(FastLane.onlyEventStream(null)).isFalse();
    }

    @Test
    void onlyTheBusyAndGatewayStatusesAreJudged() {
        assertThat(List.of(429, 502, 503, 504)).allMatch(FastLane::settles);
        assertThat(List.of(200, 202, 400, 401, 404, 500, 501)).noneMatch(FastLane::settles);
    }
}
