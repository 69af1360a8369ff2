package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.supervisor.RetentionPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How long activity and events are kept: the keys, their defaults, and the checks. */
class RetentionSettingsTest {

    @Test
    void activityAndEventsAreKeptThirtyDaysByDefaultAndDeletedAThousandRowsAtATime() {
        RetentionPolicy retention = LifelineConfig.from(Map.of()).retention();

        assertThat(retention.activity()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.events()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.batchSize()).isEqualTo(1000);
    }

    @Test
    void eachTableHasItsOwnKeyAndZeroKeepsForever() {
        RetentionPolicy retention = LifelineConfig.from(
                        Map.of("LIFELINE_ACTIVITY_RETENTION_DAYS", "7", "LIFELINE_EVENT_RETENTION_DAYS", "0"))
                .retention();

        assertThat(retention.activity()).isEqualTo(Duration.ofDays(7));
        assertThat(retention.events()).isZero();
    }

    @Test
    void aNegativeOrFractionalRetentionIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_EVENT_RETENTION_DAYS", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_EVENT_RETENTION_DAYS");
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_ACTIVITY_RETENTION_DAYS", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_ACTIVITY_RETENTION_DAYS");
    }
}
