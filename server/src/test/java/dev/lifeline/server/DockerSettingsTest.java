package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.backend.docker.DockerBackendConfig;
import dev.lifeline.backend.docker.ImagePlatform;
import dev.lifeline.backend.docker.TierResources;
import dev.lifeline.backend.docker.WorkspaceAccess;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerSettingsTest {

    @Test
    void theDefaultsAreTheLocalDaemonALifelineNetworkAndTheReferenceAgentForEcho() {
        DockerBackendConfig config = DockerSettings.from(Map.of(), "server-1", "0.0.0.0");

        assertThat(config.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(config.network()).isEqualTo("lifeline");
        assertThat(config.images()).containsExactly(Map.entry("echo", "lifeline/reference-agent:latest"));
        assertThat(config.tierResources()).isEqualTo(TierResources.defaults());
        assertThat(config.workspaceAccess()).isEqualTo(WorkspaceAccess.NONE);
    }

    @Test
    void imagesAreConfiguredPerRuntime() {
        assertThat(DockerSettings.images(Map.of(
                        "LIFELINE_IMAGE_CLAUDE_CODE", "ghcr.io/org/claude-code:1",
                        "LIFELINE_IMAGE_ECHO", "local/echo:2",
                        "LIFELINE_IMAGE_PLATFORM", "linux/amd64")))
                .containsOnly(Map.entry("claude-code", "ghcr.io/org/claude-code:1"), Map.entry("echo", "local/echo:2"));
    }

    @Test
    void thePlatformIsForcedWhenSetNotForcedWhenSetEmptyAndAutomaticWhenAbsent() {
        assertThat(DockerSettings.platform(Map.of("LIFELINE_IMAGE_PLATFORM", "linux/arm64"), "Linux", "amd64"))
                .isEqualTo(new ImagePlatform("linux", "arm64"));
        assertThat(DockerSettings.platform(Map.of("LIFELINE_IMAGE_PLATFORM", ""), "Mac OS X", "aarch64"))
                .isNull();
        assertThat(DockerSettings.platform(Map.of(), "Mac OS X", "aarch64"))
                .isEqualTo(new ImagePlatform("linux", "amd64"));
        assertThat(DockerSettings.platform(Map.of(), "Linux", "amd64")).isNull();
    }

    @Test
    void tierResourcesCanBeOverriddenPerTier() {
        assertThat(DockerSettings.tierResources(
                                Map.of("LIFELINE_TIER3_MEMORY_MB", "1024", "LIFELINE_TIER3_CPU_SHARES", "512"))
                        .get(3))
                .isEqualTo(new TierResources(1024, 512));
    }

    @Test
    void everyInvalidValueIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> DockerSettings.from(Map.of("LIFELINE_IMAGE_PLATFORM", "amd64"), "s", "0.0.0.0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_IMAGE_PLATFORM");
        assertThatThrownBy(() -> DockerSettings.from(Map.of("LIFELINE_TIER2_MEMORY_MB", "-5"), "s", "0.0.0.0"))
                .hasMessageContaining("LIFELINE_TIER2_MEMORY_MB");
        assertThatThrownBy(() ->
                        DockerSettings.from(Map.of("LIFELINE_DOCKER_HOST", "/var/run/docker.sock"), "s", "0.0.0.0"))
                .hasMessageContaining("LIFELINE_DOCKER_HOST");
        assertThatThrownBy(() ->
                        DockerSettings.from(Map.of("LIFELINE_DOCKER_WORKSPACE_ACCESS", "read_only"), "s", "0.0.0.0"))
                .hasMessageContaining("LIFELINE_DOCKER_WORKSPACE_ACCESS")
                .hasMessageContaining("LIFELINE_DOCKER_WORKSPACE_DIR");
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_BACKEND", "kubernetes")))
                .hasMessageContaining("LIFELINE_BACKEND")
                .hasMessageContaining("docker");
    }

    @Test
    void aHostWorkspaceDirectoryIsMountedReadWriteUnlessToldOtherwise() {
        assertThat(DockerSettings.from(Map.of("LIFELINE_DOCKER_WORKSPACE_DIR", "/srv/repo"), "s", "0.0.0.0")
                        .workspaceAccess())
                .isEqualTo(WorkspaceAccess.READ_WRITE);
    }
}
