package dev.lifeline.backend.controlplane;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.ProvisionerContract;
import dev.lifeline.testkit.controlplane.Failure;
import dev.lifeline.testkit.controlplane.FakeControlPlane;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The Provisioner contract, kept by the control-plane backend against an in-process control plane. */
class ControlPlaneContractTest extends ProvisionerContract {
    private static FakeControlPlane controlPlane;

    @TempDir
    Path stateDir;

    private ControlPlaneProvisioner backend;

    @BeforeAll
    static void startControlPlane() {
        controlPlane = FakeControlPlane.withIdleMachines();
    }

    @AfterAll
    static void stopControlPlane() {
        controlPlane.close();
    }

    @BeforeEach
    void createBackend() {
        backend = new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), stateDir));
    }

    @Override
    protected Provisioner provisioner() {
        return backend;
    }

    @Override
    protected StartSpec specFor(WorkspaceId id, long generation) {
        return TestConfigs.spec(id, generation, "token-of-" + id);
    }

    @Override
    protected void killBehindTheBacksOfLifeline(Instance instance) {
        controlPlane.terminateBehindTheBack(instance.ref().value());
    }

    /** The contract has no push: deaths are found by probing. */
    @Override
    protected boolean reportsDeaths() {
        return false;
    }

    @Override
    protected Optional<InstanceRef> cutOffBackend(Instance running) {
        controlPlane.fail(Failure.SERVER_ERROR);
        return Optional.of(running.ref());
    }

    @Override
    protected void reconnectBackend() {
        controlPlane.heal();
    }
}
