package dev.lifeline.backend.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.controlplane.Failure;
import dev.lifeline.testkit.controlplane.FakeControlPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference's IsRunning truth table in Lifeline's terms: only a state the control plane
 * reports is ever RUNNING or STOPPED; every failure to get one is UNKNOWN, whose cause carries the
 * status and never the body.
 */
class StatusTruthTableTest {
    @TempDir
    Path stateDir;

    private FakeControlPlane controlPlane;
    private ControlPlaneProvisioner backend;
    private final WorkspaceId id = WorkspaceId.random();
    private Instance instance;

    @BeforeEach
    void start() {
        controlPlane = FakeControlPlane.withIdleMachines();
        backend = new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), stateDir));
        instance = backend.start(TestConfigs.spec(id, 1, "token-abcdef"));
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    @Test
    void runningIsRunning() {
        assertThat(backend.probe(id, instance.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void aBootingInstanceIsAliveNotDead() {
        controlPlane.setState(instance.ref().value(), "pending");

        assertThat(backend.probe(id, instance.ref())).isEqualTo(Liveness.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stopping", "stopped", "shutting-down", "terminated", "hibernating-forever"})
    void everyOtherStateIsStopped(String state) {
        controlPlane.setState(instance.ref().value(), state);

        assertThat(backend.probe(id, instance.ref())).isEqualTo(Liveness.STOPPED);
    }

    @ParameterizedTest
    @EnumSource(
            value = Failure.class,
            names = {"UNAUTHORIZED", "NOT_FOUND", "SERVER_ERROR", "BAD_GATEWAY", "UNAVAILABLE"})
    void aNon2xxAnswerIsUnknownEvenWhenItsBodyClaimsRunning(Failure failure) {
        controlPlane.fail(FakeControlPlane.Route.STATUS, failure);

        Liveness liveness = backend.probe(id, instance.ref());

        assertThat(liveness).isInstanceOf(Liveness.Unknown.class);
        String cause = ((Liveness.Unknown) liveness).cause();
        assertThat(cause).contains(Integer.toString(failure.status())).doesNotContain(Failure.BODY_MARKER);
    }

    @Test
    void anHtmlPageWithStatus200IsUnknown() {
        controlPlane.fail(FakeControlPlane.Route.STATUS, Failure.HTML_BODY);

        Liveness liveness = backend.probe(id, instance.ref());

        assertThat(liveness).isInstanceOf(Liveness.Unknown.class);
        assertThat(((Liveness.Unknown) liveness).cause())
                .contains("undecodable")
                .doesNotContain(Failure.BODY_MARKER);
    }

    @Test
    void aJsonAnswerFollowedBy128KibOfPaddingDecodes() {
        controlPlane.fail(FakeControlPlane.Route.STATUS, Failure.PADDED_JSON);

        assertThat(backend.probe(id, instance.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void aControlPlaneThatHangsIsUnknownWithinTheCallTimeout() {
        controlPlane.fail(FakeControlPlane.Route.STATUS, Failure.HANG);
        Instant before = Instant.now();

        Liveness liveness = backend.probe(id, instance.ref());

        assertThat(liveness).isInstanceOf(Liveness.Unknown.class);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anUnreachableControlPlaneIsUnknown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ControlPlaneProvisioner cut =
                new ControlPlaneProvisioner(TestConfigs.config("http://127.0.0.1:" + closedPort, stateDir));

        assertThat(cut.probe(id, instance.ref())).isInstanceOf(Liveness.Unknown.class);
    }

    @Test
    void aStateAnswerWithoutAStateFieldIsUnknownNotStopped() throws IOException {
        try (var server = new OneAnswerServer(200, "{\"status\":\"ok\"}")) {
            ControlPlaneProvisioner odd = new ControlPlaneProvisioner(TestConfigs.config(server.url(), stateDir));

            assertThat(odd.probe(id, new InstanceRef("i-1"))).isInstanceOf(Liveness.Unknown.class);
        }
    }

    @Test
    void aJsonValueLargerThan64KibIsNotDecodedAndIsUnknown() throws IOException {
        String huge = "{\"state\":\"running\",\"filler\":\"" + "x".repeat(70 * 1024) + "\"}";
        try (var server = new OneAnswerServer(200, huge)) {
            ControlPlaneProvisioner bounded = new ControlPlaneProvisioner(TestConfigs.config(server.url(), stateDir));

            Liveness liveness = bounded.probe(id, new InstanceRef("i-1"));

            assertThat(liveness).isInstanceOf(Liveness.Unknown.class);
            assertThat(((Liveness.Unknown) liveness).cause()).contains("more than 65536 bytes, not read further");
        }
    }
}
