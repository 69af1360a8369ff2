package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEnvPolicyTest {
    private static final Map<String, String> SERVER = Map.of(
            "PATH", "/usr/bin:/bin",
            "HOME", "/home/operator",
            "TZ", "Europe/Paris",
            "LC_TIME", "en_GB.UTF-8",
            "MOLECULE_CP_SHARED_SECRET", "cp-shared-secret",
            "ADMIN_TOKEN", "reference-admin-token",
            "PGPASSWORD", "database-password",
            "AWS_SECRET_ACCESS_KEY", "cloud-key",
            "LIFELINE_ADMIN_TOKEN", "lifeline-admin-token",
            "OPENAI_API_KEY", "model-key");

    @Test
    void aLocalAgentInheritsOnlyTheHostBasicsAndLocaleOfTheServer() {
        assertThat(AgentEnvPolicy.hostBasics(SERVER))
                .containsOnlyKeys("PATH", "HOME", "TZ", "LC_TIME")
                .containsEntry("PATH", "/usr/bin:/bin");
    }

    @Test
    void aNamedVariableIsTakenOnlyWhenTheServerHasIt() {
        assertThat(AgentEnvPolicy.named(SERVER, List.of("OPENAI_API_KEY", "NOT_SET")))
                .containsExactly(Map.entry("OPENAI_API_KEY", "model-key"));
    }

    @Test
    void eachLayerWinsOverTheOnesBeforeAndEachNameAppearsOnceWhereItsWinnerPutIt() {
        Map<String, String> env = AgentEnvPolicy.layered(
                Map.of("PATH", "/bin"),
                Map.of("WORKSPACE_ID", "spoofed"),
                Map.of("WORKSPACE_ID", "real", "PORT", "8000"));

        assertThat(env).containsOnlyKeys("PATH", "WORKSPACE_ID", "PORT").containsEntry("WORKSPACE_ID", "real");
        assertThat(env.keySet()).first().isEqualTo("PATH");
    }
}
