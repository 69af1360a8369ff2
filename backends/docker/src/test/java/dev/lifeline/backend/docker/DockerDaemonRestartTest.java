package dev.lifeline.backend.docker;

import static org.awaitility.Awaitility.await;

import dev.lifeline.core.Instance;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.DeathRecorder;
import dev.lifeline.testkit.DockerEngine;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event stream outlives the daemon: after a restart, deaths are still pushed. */
class DockerDaemonRestartTest {
    private static final String SERVER = "restart-" + WorkspaceId.random().shortForm();
    private static final Duration NOTICE = Duration.ofSeconds(30);

    private DockerProvisioner docker;

    @BeforeEach
    void startBackend() {
        docker = new DockerProvisioner(
                DockerBackendConfig.of(DockerEngine.dockerHost(), SERVER, Map.of("echo", TestImages.referenceAgent()))
                        .withNetwork("lifeline-test"));
    }

    @AfterEach
    void closeBackend() {
        DockerEngine.docker("container", "prune", "-f", "--filter", "label=" + Labels.SERVER + "=" + SERVER);
        docker.close();
        TestVolumes.removeAllOf(SERVER);
    }

    @Test
    void containersThatDiedWithTheDaemonAreReportedAndLaterDeathsStillAre() {
        DeathRecorder deaths = new DeathRecorder();
        docker.watch(deaths);
        Instance before = docker.start(spec());

        DockerEngine.restartDaemon();

        await().atMost(NOTICE).until(() -> deaths.reported(before.ref()));
        Instance after = docker.start(spec());
        DockerEngine.docker("kill", after.ref().value());
        await().atMost(NOTICE).until(() -> deaths.reported(after.ref()));
    }

    private static StartSpec spec() {
        return new StartSpec(WorkspaceId.random(), 1, "restart", "echo", 2, "http://127.0.0.1:9", Map.of());
    }
}
