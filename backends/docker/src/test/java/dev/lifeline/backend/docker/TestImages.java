package dev.lifeline.backend.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.agent.ReferenceAgent;
import dev.lifeline.testkit.DockerEngine;

/** The reference agent's image on the test engine, built from this JVM's own class path. */
final class TestImages {
    private TestImages() {}

    static String referenceAgent() {
        return DockerEngine.agentImageOf(
                ReferenceAgent.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class);
    }
}
