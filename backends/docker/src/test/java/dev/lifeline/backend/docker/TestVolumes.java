package dev.lifeline.backend.docker;

import dev.lifeline.testkit.DockerEngine;
import java.util.stream.Stream;

/** Removes the volumes a test's backend created, which stops deliberately keep. */
final class TestVolumes {
    private TestVolumes() {}

    static void removeAllOf(String serverId) {
        String volumes =
                DockerEngine.docker("volume", "ls", "-q", "--filter", "label=" + Labels.SERVER + "=" + serverId);
        if (!volumes.isBlank()) {
            DockerEngine.docker(Stream.concat(Stream.of("volume", "rm"), Stream.of(volumes.split("\\s+")))
                    .toArray(String[]::new));
        }
    }
}
