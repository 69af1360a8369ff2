package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void aMissingPortIsAnErrorNamingPort() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("WORKSPACE_ID", "ws-1")))
                .isInstanceOfSatisfying(InvalidAgentConfigException.class, e -> assertThat(e.variable())
                        .isEqualTo("PORT"))
                .hasMessageContaining("PORT is required");
    }

    @Test
    void aPortThatIsNotANumberIsAnErrorQuotingTheValue() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("PORT", "eighty")))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageContaining("PORT")
                .hasMessageContaining("'eighty'");
    }

    @Test
    void withoutPlatformUrlTheAgentRunsStandaloneWithDefaults() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of("PORT", "8123"));

        assertThat(config.port()).isEqualTo(8123);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.agentName()).isEqualTo("echo");
        assertThat(config.platform()).isInstanceOf(AgentConfig.Standalone.class);
    }

    @Test
    void withPlatformUrlTheAgentRegistersWithAFractionalHeartbeatInterval() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                "PORT", "0",
                "WORKSPACE_ID", "ws-1",
                "PLATFORM_URL", "http://127.0.0.1:8080",
                "WORKSPACE_AUTH_TOKEN", "t",
                "HEARTBEAT_INTERVAL_SECONDS", "0.5"));

        assertThat(config.platform())
                .isEqualTo(new AgentConfig.Registry(URI.create("http://127.0.0.1:8080"), "t", Duration.ofMillis(500)));
    }

    @Test
    void theHeartbeatIntervalDefaultsToThirtySeconds() {
        AgentConfig config = AgentConfig.fromEnvironment(
                Map.of("PORT", "0", "WORKSPACE_ID", "ws-1", "PLATFORM_URL", "http://localhost:8080"));

        assertThat(((AgentConfig.Registry) config.platform()).heartbeatInterval())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aNonPositiveHeartbeatIntervalIsAnErrorNamingTheVariable() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(
                        "PORT", "0",
                        "WORKSPACE_ID", "ws-1",
                        "PLATFORM_URL", "http://localhost:8080",
                        "HEARTBEAT_INTERVAL_SECONDS", "0")))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageContaining("HEARTBEAT_INTERVAL_SECONDS");
    }

    @Test
    void aPlatformUrlWithoutHttpSchemeIsAnError() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(
                        Map.of("PORT", "0", "WORKSPACE_ID", "ws-1", "PLATFORM_URL", "localhost:8080")))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageContaining("PLATFORM_URL");
    }

    @Test
    void aPlatformUrlRequiresAWorkspaceId() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("PORT", "0", "PLATFORM_URL", "http://h:1")))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageContaining("WORKSPACE_ID");
    }

    @Test
    void theCommandLinePortOverridesTheEnvironment() {
        assertThat(AgentConfig.fromCommandLine(List.of("--port", "9001"), Map.of("PORT", "1"))
                        .port())
                .isEqualTo(9001);
        assertThat(AgentConfig.fromCommandLine(List.of("--port=9002"), Map.of()).port())
                .isEqualTo(9002);
    }

    @Test
    void aNonLoopbackHostBindsAllInterfaces() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of("PORT", "0", "AGENT_HOST", "agent-7.internal"));

        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void theRegistryNeverPrintsItsToken() {
        var registry = new AgentConfig.Registry(URI.create("http://h:1"), "s3cret", Duration.ofSeconds(1));

        assertThat(registry.toString()).doesNotContain("s3cret").contains("<redacted>");
    }
}
