package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the {@code lifeline} entry point sets before anything starts. */
class MainTest {

    @Test
    void aDeploymentRunsWithoutNettysLeakDetectorUnlessTheOperatorAsksForIt() {
        Properties unset = new Properties();
        Properties asked = new Properties();
        asked.setProperty("io.netty.leakDetection.level", "paranoid");

        Main.withoutLeakDetection(unset);
        Main.withoutLeakDetection(asked);

        assertThat(unset.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");
        assertThat(asked.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
    }
}
