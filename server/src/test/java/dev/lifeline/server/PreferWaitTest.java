package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7240's {@code Prefer: wait}: the first one counts, other preferences and parameters are skipped. */
class PreferWaitTest {

    @Test
    void aPlainWaitIsItsSeconds() {
        assertThat(PreferWait.of(List.of("wait=0"))).contains(Duration.ZERO);
        assertThat(PreferWait.of(List.of("wait=10"))).contains(Duration.ofSeconds(10));
    }

    @Test
    void theWaitIsFoundAmongOtherPreferencesWhateverItsCase() {
        assertThat(PreferWait.of(List.of("respond-async, WAIT = 5", "handling=lenient")))
                .contains(Duration.ofSeconds(5));
        assertThat(PreferWait.of(List.of("return=minimal; foo=\"a,b\"", "wait=\"7\";x=1")))
                .contains(Duration.ofSeconds(7));
    }

    @Test
    void onlyTheFirstWaitCounts() {
        assertThat(PreferWait.of(List.of("wait=3, wait=9"))).contains(Duration.ofSeconds(3));
        assertThat(PreferWait.of(List.of("wait=abc", "wait=9"))).isEmpty();
    }

    @Test
    void noWaitOrOneThatIsNotANumberOfSecondsIsNoPreference() {
        assertThat(PreferWait.of(List.of())).isEmpty();
        assertThat(PreferWait.of(List.of("respond-async"))).isEmpty();
        assertThat(PreferWait.of(List.of("wait"))).isEmpty();
        assertThat(PreferWait.of(List.of("wait=-1"))).isEmpty();
        assertThat(PreferWait.of(List.of("wait=1.5"))).isEmpty();
    }

    @Test
    void anEnormousWaitIsReadAsAVeryLongOne() {
        assertThat(PreferWait.of(List.of("wait=99999999999999999999999")))
                .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofDays(365)));
    }
}
