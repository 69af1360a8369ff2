package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the backend decides without a daemon: every call here fails at the (absent) socket. */
class DockerProvisionerUnitTest {
    private final DockerProvisioner unreachable = new DockerProvisioner(DockerBackendConfig.of(
            "unix:///nonexistent/lifeline-docker.sock", "server-1", Map.of("echo", "lifeline/agent:1")));

    @Test
    void aRuntimeWithoutAnImageIsRefusedWithTheKeyToSet() {
        StartSpec spec = new StartSpec(WorkspaceId.random(), 1, "n", "claude-code", 2, "http://127.0.0.1:1", Map.of());

        assertThatThrownBy(() -> unreachable.start(spec))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no image configured for runtime 'claude-code'")
                .hasMessageContaining("LIFELINE_IMAGE_CLAUDE_CODE")
                .hasMessageContaining("[echo]");
    }

    @Test
    void aDaemonThatCannotBeReachedIsUnknownNeverStopped() {
        assertThat(unreachable.probe(WorkspaceId.random(), new InstanceRef("a".repeat(64))))
                .isInstanceOf(Liveness.Unknown.class);
    }

    @Test
    void aStopThatCannotReachTheDaemonFails() {
        assertThatThrownBy(() -> unreachable.stop(WorkspaceId.random(), new InstanceRef("a".repeat(64))))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("volumes are kept");
    }
}
