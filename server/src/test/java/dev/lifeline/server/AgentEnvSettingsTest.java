package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEnvSettingsTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    @Test
    void everyAgentGetsTheVariablesTheOperatorNamedAndTheHeartbeatIntervalOnly() {
        Map<String, String> server = Map.of(
                "LIFELINE_AGENT_ENV_ALLOW", " MODEL_KEY, HTTPS_PROXY ,UNSET ",
                "MODEL_KEY", "model-key",
                "HTTPS_PROXY", "http://proxy:3128",
                "PGPASSWORD", "database-password");

        assertThat(AgentEnvSettings.forEveryAgent(server, HEARTBEAT))
                .containsOnly(
                        Map.entry("MODEL_KEY", "model-key"),
                        Map.entry("HTTPS_PROXY", "http://proxy:3128"),
                        Map.entry("HEARTBEAT_INTERVAL_SECONDS", "30.0"));
    }

    @Test
    void withoutAnAllowListAgentsGetNoServerVariable() {
        assertThat(AgentEnvSettings.forEveryAgent(Map.of("PGPASSWORD", "database-password"), HEARTBEAT))
                .containsOnlyKeys("HEARTBEAT_INTERVAL_SECONDS");
    }

    @Test
    void lifelinesOwnSettingsCannotBeAllowedIntoAgents() {
        Map<String, String> server =
                Map.of("LIFELINE_AGENT_ENV_ALLOW", "MODEL_KEY,LIFELINE_ADMIN_TOKEN", "LIFELINE_ADMIN_TOKEN", "admin");

        assertThatThrownBy(() -> AgentEnvSettings.forEveryAgent(server, HEARTBEAT))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LIFELINE_AGENT_ENV_ALLOW cannot name LIFELINE_ADMIN_TOKEN: Lifeline's own settings never"
                        + " reach agents");
    }

    @Test
    void theControlPlaneSecretsUnderTheReferenceNamesCannotBeAllowedIntoAgentsEither() {
        for (String secret :
                List.of("MOLECULE_CP_SHARED_SECRET", "ADMIN_TOKEN", "CP_ADMIN_API_TOKEN", "CORS_ORIGINS")) {
            Map<String, String> server = Map.of("LIFELINE_AGENT_ENV_ALLOW", secret, secret, "value");

            assertThatThrownBy(() -> AgentEnvSettings.forEveryAgent(server, HEARTBEAT))
                    .as(secret)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot name " + secret);
        }
    }

    @Test
    void anAllowListEntryThatIsNoVariableNameIsAConfigurationError() {
        assertThatThrownBy(() -> AgentEnvSettings.forEveryAgent(
                        Map.of("LIFELINE_AGENT_ENV_ALLOW", "MODEL_KEY PGPASSWORD"), HEARTBEAT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'MODEL_KEY PGPASSWORD' is not a variable name");
    }
}
