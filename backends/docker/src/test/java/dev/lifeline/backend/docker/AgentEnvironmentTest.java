package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEnvironmentTest {
    private final WorkspaceId id = WorkspaceId.parse("0123abcd-4567-89ef-0123-456789abcdef");

    @Test
    void theWorkspacesOwnVariablesComeFirstSortedThenThePlatformsInTheReferencesOrder() {
        StartSpec spec = new StartSpec(id, 4, "n", "echo", 2, "http://lifeline:8080", Map.of("ZED", "z", "ALPHA", "a"));

        List<String> env = AgentEnvironment.of(spec, 2, "http://lifeline:8080", "server-1");

        assertThat(env)
                .containsExactly(
                        "ALPHA=a",
                        "ZED=z",
                        "WORKSPACE_ID=" + id,
                        "WORKSPACE_CONFIG_PATH=/configs",
                        "PLATFORM_URL=http://lifeline:8080",
                        "MOLECULE_URL=http://lifeline:8080",
                        "TIER=2",
                        "PLUGINS_DIR=/plugins",
                        "PYTHONPATH=/app",
                        "PORT=8000",
                        "AGENT_HOST=ws-0123abcd-456",
                        "AGENT_BIND_ADDRESS=0.0.0.0",
                        "LIFELINE_SERVER_ID=server-1",
                        "LIFELINE_WORKSPACE_ID=" + id,
                        "LIFELINE_GENERATION=4");
    }

    @Test
    void aWorkspaceVariableNamedLikeAPlatformOneIsReplacedNotRepeated() {
        StartSpec spec = new StartSpec(
                id,
                1,
                "n",
                "echo",
                3,
                "http://lifeline:8080",
                Map.of("PLATFORM_URL", "http://evil", "WORKSPACE_ID", "other", "TIER", "4", "PORT", "1"));

        List<String> env = AgentEnvironment.of(spec, 3, "http://lifeline:8080", "server-1");

        assertThat(env).contains("PLATFORM_URL=http://lifeline:8080", "WORKSPACE_ID=" + id, "TIER=3", "PORT=8000");
        assertThat(env.stream().map(line -> line.substring(0, line.indexOf('='))))
                .doesNotHaveDuplicates();
    }
}
