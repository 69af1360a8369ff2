package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PidRefTest {

    @Test
    void aRefReadsBackAsThePidAndStartItWasMadeFrom() {
        PidRef ref = new PidRef(4242, 1_700_000_000_123L);

        assertThat(ref.toRef()).isEqualTo(new InstanceRef("4242@1700000000123"));
        assertThat(PidRef.parse(ref.toRef())).contains(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4242", "@17", "4242@", "0@17", "-1@17", "abc@17", "4242@abc", "i-0abc", "42@17@9"})
    void aRefThatIsNotPidAtStartIsNotParsed(String value) {
        assertThat(PidRef.parse(new InstanceRef(value))).isEmpty();
    }

    @Test
    void theRefOfThisVeryProcessIsRunning() {
        ProcessHandle self = ProcessHandle.current();
        PidRef ref = PidRef.of(self).orElseThrow();

        assertThat(ref.livenessOf(self)).isEqualTo(Liveness.RUNNING);
        assertThat(new PidRef(ref.pid(), ref.startMillis() + 5_000).livenessOf(self))
                .isEqualTo(Liveness.STOPPED);
    }
}
