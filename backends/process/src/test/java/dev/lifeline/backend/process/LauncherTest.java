package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.WorkspaceId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment an agent process starts with, built from a server environment full of secrets. */
class LauncherTest {
    private static final Map<String, String> SERVER = Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin",
            "HOME", "/home/operator",
            "LC_ALL", "C.UTF-8",
            "MOLECULE_CP_SHARED_SECRET", "cp-shared-secret",
            "ADMIN_TOKEN", "reference-admin-token",
            "CP_ADMIN_API_TOKEN", "cp-admin-api-token",
            "PGPASSWORD", "database-password",
            "AWS_SECRET_ACCESS_KEY", "cloud-key",
            "LIFELINE_ADMIN_TOKEN", "lifeline-admin-token");

    @TempDir
    Path workRoot;

    @Test
    void anAgentProcessGetsTheAllowListItsWorkspaceAndThePlatformAndNothingElseOfTheServer() {
        WorkspaceId id = WorkspaceId.random();
        Launcher launcher = new Launcher("server-a", workRoot, AgentEnvPolicy.hostBasics(SERVER));
        Map<String, String> env = new HashMap<>(SERVER); // a process builder starts from the server's

        launcher.applyEnvironment(env, TestAgents.spec(id, 3, "sleeper"), 4100);

        assertThat(env)
                .containsOnlyKeys(
                        "PATH",
                        "HOME",
                        "LC_ALL",
                        "WORKSPACE_AUTH_TOKEN",
                        "AGENT_SETTING",
                        "WORKSPACE_ID",
                        "PLATFORM_URL",
                        "MOLECULE_URL",
                        "PORT",
                        "TIER",
                        "LIFELINE_SERVER_ID",
                        "LIFELINE_WORKSPACE_ID",
                        "LIFELINE_GENERATION")
                .containsEntry("PATH", SERVER.get("PATH"))
                .containsEntry("WORKSPACE_AUTH_TOKEN", TestAgents.TOKEN)
                .containsEntry("AGENT_SETTING", "kept")
                .containsEntry("WORKSPACE_ID", id.toString())
                .containsEntry("PORT", "4100")
                .containsEntry("LIFELINE_GENERATION", "3");
    }
}
