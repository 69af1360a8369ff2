package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Two agents starting close together never get the same port, even when the kernel offers it twice. */
class PortPickerTest {
    private final AtomicLong nanos = new AtomicLong();

    private PortPicker offering(Integer... ports) {
        Queue<Integer> offers = new ArrayDeque<>(List.of(ports));
        return new PortPicker(nanos::get, () -> {
            Integer next = offers.poll();
            if (next == null) {
                throw new IOException("no more offers");
            }
            return next;
        });
    }

    @Test
    void aPortOfferedAgainWhileItsAgentMayStillBeStartingIsSkipped() throws IOException {
        PortPicker picker = offering(40000, 40000, 40001);

        assertThat(picker.pick()).isEqualTo(40000);
        assertThat(picker.pick()).isEqualTo(40001);
    }

    @Test
    void aPortMayBeHandedOutAgainAfterTheQuarantine() throws IOException {
        PortPicker picker = offering(40000, 40000);
        picker.pick();

        nanos.addAndGet(PortPicker.QUARANTINE.plus(Duration.ofNanos(1)).toNanos());

        assertThat(picker.pick()).isEqualTo(40000);
    }

    @Test
    void aKernelThatKeepsOfferingTakenPortsIsAnErrorNotALoop() throws IOException {
        Integer[] same = new Integer[60];
        java.util.Arrays.fill(same, 40000);
        PortPicker picker = offering(same);
        picker.pick();

        assertThatThrownBy(picker::pick).isInstanceOf(IOException.class).hasMessageContaining("no free loopback port");
    }

    @Test
    void theSystemPickerGivesDistinctPorts() throws IOException {
        PortPicker picker = new PortPicker();

        assertThat(List.of(picker.pick(), picker.pick(), picker.pick())).doesNotHaveDuplicates();
    }
}
