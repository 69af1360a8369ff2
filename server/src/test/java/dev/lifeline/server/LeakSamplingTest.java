package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.Test;

class LeakSamplingTest {

    @Test
    void aServedLifelineSamplesNoBuffersForLeaksUnlessALevelIsAskedFor() {
        Level before = ResourceLeakDetector.getLevel();
        try {
            ResourceLeakDetector.setLevel(Level.SIMPLE);
            Main.leakSamplingAsAsked("paranoid"); // Netty reads the property it names itself
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.SIMPLE);

            Main.leakSamplingAsAsked(null);
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.DISABLED);
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }
}
