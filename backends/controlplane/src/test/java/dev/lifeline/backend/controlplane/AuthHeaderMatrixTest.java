package dev.lifeline.backend.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Instance;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.controlplane.FakeControlPlane;
import dev.lifeline.testkit.controlplane.FakeControlPlane.Route;
import dev.lifeline.testkit.controlplane.RecordedRequest;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which credentials go on which route, and that an empty one is never sent. */
class AuthHeaderMatrixTest {
    private static final String TENANT_HEADER = "X-Molecule-Admin-Token";

    @TempDir
    Path stateDir;

    private FakeControlPlane controlPlane;

    @BeforeEach
    void start() {
        controlPlane = FakeControlPlane.withIdleMachines();
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    /** Provisions, probes, reads the console and stops once with these credentials. */
    private void useEveryRoute(String secret, String tenant, String adminKey) {
        ControlPlaneProvisioner backend =
                new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), stateDir, secret, tenant, adminKey));
        WorkspaceId id = WorkspaceId.random();
        Instance instance = backend.start(TestConfigs.spec(id, 1, "token-abcdef"));
        backend.probe(id, instance.ref());
        backend.console(id, instance.ref());
        backend.stop(id, instance.ref());
    }

    private RecordedRequest only(Route route) {
        assertThat(controlPlane.requests(route)).hasSize(1);
        return controlPlane.requests(route).getFirst();
    }

    @Test
    void noHeadersWhenEverySecretIsEmpty() {
        useEveryRoute("", "", "");

        for (RecordedRequest r : controlPlane.requests()) {
            assertThat(r.header("Authorization")).as(r.path()).isEmpty();
            assertThat(r.header(TENANT_HEADER)).as(r.path()).isEmpty();
        }
    }

    @Test
    void provisionRoutesCarryTheSharedSecretAndTheTenantToken() {
        useEveryRoute("shared-1", "tenant-1", "admin-1");

        for (Route route : new Route[] {Route.PROVISION, Route.STATUS, Route.TERMINATE}) {
            RecordedRequest r = only(route);
            assertThat(r.header("Authorization")).as(route.name()).contains("Bearer shared-1");
            assertThat(r.header(TENANT_HEADER)).as(route.name()).contains("tenant-1");
        }
    }

    @Test
    void onlyTheTenantHeaderWhenTheSharedSecretIsEmpty() {
        useEveryRoute("", "tenant-1", "admin-1");

        for (Route route : new Route[] {Route.PROVISION, Route.STATUS, Route.TERMINATE}) {
            RecordedRequest r = only(route);
            assertThat(r.header("Authorization")).as(route.name()).isEmpty();
            assertThat(r.header(TENANT_HEADER)).as(route.name()).contains("tenant-1");
        }
    }

    @Test
    void adminRoutesUseTheAdminApiKeyNotTheSharedSecret() {
        useEveryRoute("shared-1", "tenant-1", "admin-1");

        RecordedRequest console = only(Route.CONSOLE);
        assertThat(console.header("Authorization")).contains("Bearer admin-1");
        assertThat(console.header(TENANT_HEADER)).contains("tenant-1");
    }

    @Test
    void theAdminApiKeyFallsBackToTheSharedSecret() {
        useEveryRoute("shared-1", "", "");

        assertThat(only(Route.CONSOLE).header("Authorization")).contains("Bearer shared-1");
        assertThat(only(Route.CONSOLE).header(TENANT_HEADER)).isEqualTo(Optional.empty());
    }
}
