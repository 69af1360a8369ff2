package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.proxy.A2aProxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowCacheTtlTest {

    @Test
    void rowsAreCachedForOneSecondUnlessSetOtherwise() {
        assertThat(RowCacheTtl.from(Map.of())).isEqualTo(A2aProxy.ROW_TTL).isEqualTo(Duration.ofSeconds(1));
        assertThat(RowCacheTtl.from(Map.of(RowCacheTtl.KEY, "60000"))).isEqualTo(Duration.ofMinutes(1));
        assertThat(RowCacheTtl.from(Map.of(RowCacheTtl.KEY, "0"))).isZero();
    }

    @Test
    void aNegativeOrNonNumericTtlIsRefusedByName() {
        for (String bad : new String[] {"-1", "1s", "ten"}) {
            assertThatThrownBy(() -> RowCacheTtl.from(Map.of(RowCacheTtl.KEY, bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(RowCacheTtl.KEY);
        }
    }
}
