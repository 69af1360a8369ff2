package dev.lifeline.backend.docker;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.DockerEngine;
import dev.lifeline.testkit.ProvisionerContract;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Provisioner contract against a real Docker Engine running the reference agent's image. */
class DockerProvisionerContractTest extends ProvisionerContract {
    private static final String SERVER = "contract-" + WorkspaceId.random().shortForm();
    private static DockerProvisioner docker;
    private static String image;
    private @Nullable DockerProvisioner cutOff;

    @BeforeAll
    static void startBackend() {
        String host = DockerEngine.dockerHost();
        image = TestImages.referenceAgent();
        docker = new DockerProvisioner(
                DockerBackendConfig.of(host, SERVER, Map.of("echo", image)).withNetwork("lifeline-test"));
    }

    /** Stops keep volumes (they hold workspace data); the test's own go with it. */
    @AfterAll
    static void closeBackend() {
        if (docker != null) {
            docker.close();
            TestVolumes.removeAllOf(SERVER);
        }
    }

    @Override
    protected Provisioner provisioner() {
        return cutOff != null ? cutOff : docker;
    }

    @Override
    protected StartSpec specFor(WorkspaceId id, long generation) {
        return new StartSpec(
                id,
                generation,
                "contract",
                "echo",
                2,
                "http://127.0.0.1:9",
                Map.of("WORKSPACE_AUTH_TOKEN", "t0ken-value"));
    }

    @Override
    protected void killBehindTheBacksOfLifeline(Instance instance) {
        DockerEngine.docker("kill", instance.ref().value());
    }

    /** A backend whose daemon socket does not exist: every question fails at the transport. */
    @Override
    protected Optional<InstanceRef> cutOffBackend(Instance running) {
        cutOff = new DockerProvisioner(
                DockerBackendConfig.of("unix:///nonexistent/lifeline-docker.sock", "cut-off", Map.of("echo", image)));
        return Optional.of(running.ref());
    }

    @Override
    protected void reconnectBackend() {
        if (cutOff != null) {
            cutOff.close();
            cutOff = null;
        }
    }
}
