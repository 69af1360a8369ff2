package dev.lifeline.backend.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment a control-plane VM's agent is provisioned with. */
class VmEnvironmentTest {
    private final WorkspaceId id = WorkspaceId.random();

    @Test
    void aVmGetsItsWorkspaceVariablesThenThePlatformsAndNothingOfTheServersEnvironment() {
        StartSpec spec = new StartSpec(
                id,
                2,
                "n",
                "echo",
                3,
                "http://lifeline:8080",
                Map.of("WORKSPACE_AUTH_TOKEN", "token", "HEARTBEAT_INTERVAL_SECONDS", "30", "WORKSPACE_ID", "spoofed"));

        Map<String, String> env = ControlPlaneProvisioner.agentEnvironment(spec, "server-1");

        assertThat(env)
                .containsOnlyKeys(
                        "WORKSPACE_AUTH_TOKEN",
                        "HEARTBEAT_INTERVAL_SECONDS",
                        "WORKSPACE_ID",
                        "PLATFORM_URL",
                        "MOLECULE_URL",
                        "TIER",
                        "LIFELINE_SERVER_ID",
                        "LIFELINE_WORKSPACE_ID",
                        "LIFELINE_GENERATION")
                .containsEntry("WORKSPACE_ID", id.toString())
                .containsEntry("WORKSPACE_AUTH_TOKEN", "token")
                .containsEntry("TIER", "3")
                .containsEntry("LIFELINE_GENERATION", "2");
    }
}
