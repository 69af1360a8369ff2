package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run after which an agent's death starts the restart back-off over: its key, default and check. */
class RestartSettingsTest {

    @Test
    void byDefaultAMinuteOnlineIsAHealthyRun() {
        assertThat(LifelineConfig.from(Map.of()).restartHealthyRun()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theHealthyRunIsReadInSeconds() {
        assertThat(LifelineConfig.from(Map.of("LIFELINE_RESTART_HEALTHY_RUN_SECONDS", "2.5"))
                        .restartHealthyRun())
                .isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aHealthyRunThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_RESTART_HEALTHY_RUN_SECONDS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_RESTART_HEALTHY_RUN_SECONDS");
    }
}
