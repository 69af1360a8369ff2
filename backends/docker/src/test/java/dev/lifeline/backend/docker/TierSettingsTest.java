package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TierSettingsTest {
    private static final Map<Integer, TierResources> DEFAULTS = TierResources.defaults();

    @ParameterizedTest(name = "tier {0}")
    @CsvSource({
        // tier, effective, memory MiB (0 = uncapped), nano CPUs, workspace mount, read-only root, privileged, host pid,
        // docker socket
        "1, 1,    0,          0, false, true,  false, false, false",
        "2, 2,  512, 1000000000, true,  false, false, false, false",
        "3, 3, 2048, 2000000000, true,  false, true,  true,  false",
        "4, 4, 4096, 4000000000, true,  false, true,  true,  true",
    })
    void eachTierGetsTheReferencesSettings(
            int tier,
            int effective,
            long memoryMiB,
            long nanoCpus,
            boolean workspace,
            boolean readOnly,
            boolean privileged,
            boolean hostPid,
            boolean socket) {
        TierSettings settings = TierSettings.of(tier, DEFAULTS);
        HostConfig host = HostConfig.newHostConfig();
        settings.applyTo(host);

        assertThat(settings.tier()).isEqualTo(effective);
        assertThat(host.getMemory()).isEqualTo(memoryMiB == 0 ? null : memoryMiB * 1024 * 1024);
        assertThat(host.getNanoCPUs()).isEqualTo(nanoCpus == 0 ? null : nanoCpus);
        assertThat(settings.mountsWorkspace()).isEqualTo(workspace);
        assertThat(host.getReadonlyRootfs()).isEqualTo(readOnly ? Boolean.TRUE : null);
        assertThat(host.getPrivileged()).isEqualTo(privileged ? Boolean.TRUE : null);
        assertThat(host.getPidMode()).isEqualTo(hostPid ? "host" : null);
        assertThat(settings.dockerSocket()).isEqualTo(socket);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {0, -1, 5, 99})
    void tierZeroAndUnknownTiersMeanTierTwo(int tier) {
        assertThat(TierSettings.of(tier, DEFAULTS)).isEqualTo(TierSettings.of(2, DEFAULTS));
    }

    @org.junit.jupiter.api.Test
    void theSandboxedTierHasANoExecTmpOfSixtyFourMegabytes() {
        HostConfig host = HostConfig.newHostConfig();
        TierSettings.of(1, DEFAULTS).applyTo(host);

        assertThat(host.getTmpFs()).containsEntry("/tmp", "rw,noexec,nosuid,size=64m");
    }

    @org.junit.jupiter.api.Test
    void tierFourGetsTheSocketOfTheDaemonLifelineUsesAsItsDockerSocket() {
        assertThat(ContainerRequest.daemonSocket("unix:///srv/docker/docker.sock"))
                .isEqualTo("/srv/docker/docker.sock");
        assertThat(ContainerRequest.daemonSocket("tcp://10.0.0.2:2375")).isEqualTo("/var/run/docker.sock");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {2, 3, 4})
    void overriddenResourcesReplaceTheDefaultsAndSharesBecomeAHardCpuCap(int tier) {
        HostConfig host = HostConfig.newHostConfig();
        TierSettings.of(tier, Map.of(tier, new TierResources(300, 512))).applyTo(host);

        assertThat(host.getMemory()).isEqualTo(300L * 1024 * 1024);
        assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    }
}
