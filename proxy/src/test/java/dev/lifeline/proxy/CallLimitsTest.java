package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallLimitsTest {
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final Duration ceiling = Duration.ofMinutes(30);
    private final Duration idle = Duration.ofMinutes(5);

    @Test
    void xTimeoutSetsTheAbsoluteDeadline() {
        CallLimits limits = CallLimits.of(start, 120, false, ceiling, idle);
        assertThat(limits.deadline()).isEqualTo(start.plusSeconds(120));
        assertThat(limits.cutoff(start.plusSeconds(120), start.plusSeconds(119)))
                .hasValue(CallLimits.Cutoff.DEADLINE);
    }

    @Test
    void agentToAgentCallsWithoutXTimeoutGetTheCeiling() {
        assertThat(CallLimits.of(start, 0, true, ceiling, idle).deadline()).isEqualTo(start.plus(ceiling));
    }

    @Test
    void canvasCallsWithoutXTimeoutHaveNoDeadline() {
        CallLimits limits = CallLimits.of(start, 0, false, ceiling, idle);
        assertThat(limits.deadline()).isNull();
        assertThat(limits.cutoff(start.plus(Duration.ofHours(5)), start.plus(Duration.ofHours(5))))
                .isEmpty();
    }

    @Test
    void aCallIsIdleOnlyWhenTheWorkspaceWasSilentForTheWholeWindow() {
        CallLimits limits = CallLimits.of(start, 0, false, ceiling, idle);
        Instant heartbeat = start.plusSeconds(200);
        assertThat(limits.cutoff(start.plusSeconds(400), heartbeat)).isEmpty();
        assertThat(limits.cutoff(heartbeat.plus(idle), heartbeat)).hasValue(CallLimits.Cutoff.IDLE);
    }

    @Test
    void theNextCheckIsTheEarlierOfDeadlineAndIdleExpiry() {
        CallLimits limits = CallLimits.of(start, 60, false, ceiling, idle);
        assertThat(limits.nextCheck(start)).isEqualTo(start.plusSeconds(60));
        CallLimits longer = CallLimits.of(start, 3600, false, ceiling, idle);
        assertThat(longer.nextCheck(start)).isEqualTo(start.plus(idle));
    }
}
