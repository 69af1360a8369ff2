package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.proxy.HoldConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How long and how many A2A calls wait for a restarting workspace: the keys, defaults and checks. */
class HoldSettingsTest {

    @Test
    void byDefaultACallWaitsUpToThirtySecondsAmongAHundredPerWorkspaceAndFiveThousandInAll() {
        assertThat(LifelineConfig.from(Map.of()).a2aHolds())
                .isEqualTo(new HoldConfig(Duration.ofSeconds(30), 100, 5000));
    }

    @Test
    void eachLimitHasItsKeyAndAZeroWindowTurnsWaitingOff() {
        HoldConfig holds = LifelineConfig.from(Map.of(
                        "LIFELINE_A2A_HOLD_SECONDS", "0",
                        "LIFELINE_A2A_HOLD_PER_WORKSPACE", "3",
                        "LIFELINE_A2A_HOLD_TOTAL", "40"))
                .a2aHolds();

        assertThat(holds).isEqualTo(new HoldConfig(Duration.ZERO, 3, 40));
    }

    @Test
    void aNegativeWindowOrANonPositiveCapIsRefusedByName() {
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_A2A_HOLD_SECONDS", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_A2A_HOLD_SECONDS");
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_A2A_HOLD_PER_WORKSPACE", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_A2A_HOLD_PER_WORKSPACE");
    }
}
