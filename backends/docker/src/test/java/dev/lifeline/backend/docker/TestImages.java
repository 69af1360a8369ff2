package dev.lifeline.backend.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.agent.ReferenceAgent;
import dev.lifeline.testkit.DockerEngine;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The reference agent's image on the test engine, built from this JVM's own class path. */
final class TestImages {
    private TestImages() {}

    static String referenceAgent() {
        return DockerEngine.agentImage(
                Stream.of(ReferenceAgent.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)
                        .map(TestImages::codeSource)
                        .distinct()
                        .toList());
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
