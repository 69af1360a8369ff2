package dev.lifeline.backend.process;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ProvisionerContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class ProcessProvisionerTest extends ProvisionerContract {
    @TempDir
    Path dataDir;

    private ProcessProvisioner provisioner;

    @BeforeEach
    void createBackend() {
        provisioner = new ProcessProvisioner(TestAgents.config(dataDir, "server-a"));
    }

    @Override
    protected Provisioner provisioner() {
        return provisioner;
    }

    @Override
    protected StartSpec specFor(WorkspaceId id, long generation) {
        return TestAgents.spec(id, generation, "sleeper");
    }

    @Override
    protected void killBehindTheBacksOfLifeline(Instance instance) {
        TestAgents.kill9(instance.ref());
    }

    /** A process backend is never cut off; the ref it cannot read is its one way to be unsure. */
    @Override
    protected Optional<InstanceRef> cutOffBackend(Instance running) {
        return Optional.of(new InstanceRef("pid-of-" + running.ref()));
    }
}
