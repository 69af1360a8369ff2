package dev.lifeline.backend.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.controlplane.Failure;
import dev.lifeline.testkit.controlplane.FakeControlPlane;
import dev.lifeline.testkit.controlplane.FakeControlPlane.Route;
import dev.lifeline.testkit.controlplane.ProvisionRequest;
import dev.lifeline.testkit.controlplane.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The control-plane backend's calls, as the reference's control-plane tests describe them, and more. */
class ControlPlaneProvisionerTest {
    private static final String TOKEN = "workspace-token-s3cr3t";

    @TempDir
    Path stateDir;

    private FakeControlPlane controlPlane;
    private ControlPlaneProvisioner backend;
    private final WorkspaceId id = WorkspaceId.random();

    @BeforeEach
    void start() {
        controlPlane = FakeControlPlane.withIdleMachines();
        backend = new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), stateDir));
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    @Test
    void provisionPostsTheWorkspaceAndReturnsTheInstanceIdAsRefWithoutAUrl() {
        Instance instance = backend.start(TestConfigs.spec(id, 3, TOKEN));

        RecordedRequest post = controlPlane.requests(Route.PROVISION).getFirst();
        assertThat(post.path()).isEqualTo("/cp/workspaces/provision");
        assertThat(post.header("Content-Type")).contains("application/json");
        ProvisionRequest body = controlPlane.provisions().getFirst();
        assertThat(body.orgId()).isEqualTo(TestConfigs.ORG);
        assertThat(body.workspaceId()).isEqualTo(id.toString());
        assertThat(body.runtime()).isEqualTo("echo");
        assertThat(body.tier()).isEqualTo(2);
        assertThat(body.platformUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(body.env())
                .containsEntry("WORKSPACE_AUTH_TOKEN", TOKEN)
                .containsEntry("WORKSPACE_ID", id.toString())
                .containsEntry("PLATFORM_URL", "http://127.0.0.1:8080")
                .containsEntry("LIFELINE_GENERATION", "3");
        assertThat(controlPlane.instancesOf(id.toString()))
                .containsExactly(instance.ref().value());
        assertThat(instance.endpoint()).isEmpty();
    }

    @Test
    void onlyA201IsASuccessfulProvision() {
        controlPlane.fail(Route.PROVISION, Failure.HTML_BODY); // 201 with an HTML page: no instance id

        assertThatThrownBy(() -> backend.start(TestConfigs.spec(id, 1, TOKEN)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("without an instance_id");
    }

    @Test
    void aFailedProvisionNamesTheStatusAndNeverQuotesTheBody() {
        controlPlane.fail(Route.PROVISION, Failure.SERVER_ERROR);

        assertThatThrownBy(() -> backend.start(TestConfigs.spec(id, 1, TOKEN)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("(500)")
                .hasMessageContaining("<unstructured body, ")
                .hasMessageNotContaining(Failure.BODY_MARKER);
    }

    @Test
    void aFailedProvisionQuotesTheControlPlanesErrorFieldWithSecretsRemoved() throws IOException {
        String answer =
                "{\"error\":\"quota exceeded for token " + TOKEN + " and key " + TestConfigs.SHARED_SECRET + "\"}";
        try (var server = new OneAnswerServer(409, answer)) {
            ControlPlaneProvisioner strict = new ControlPlaneProvisioner(TestConfigs.config(server.url(), stateDir));

            assertThatThrownBy(() -> strict.start(TestConfigs.spec(id, 1, TOKEN)))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("(409): quota exceeded for token [redacted] and key [redacted]")
                    .hasMessageNotContaining(TOKEN)
                    .hasMessageNotContaining(TestConfigs.SHARED_SECRET);
        }
    }

    @Test
    void anUnreachableControlPlaneFailsTheProvisionAsASendFailure() throws IOException {
        ControlPlaneProvisioner cut = new ControlPlaneProvisioner(TestConfigs.config(closedUrl(), stateDir));

        assertThatThrownBy(() -> cut.start(TestConfigs.spec(id, 1, TOKEN)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("cannot send the provision");
    }

    @Test
    void probeAndStopSendTheStoredInstanceIdNeverTheWorkspaceId() {
        Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));

        backend.probe(id, instance.ref());
        backend.stop(id, instance.ref());

        RecordedRequest status = controlPlane.requests(Route.STATUS).getFirst();
        assertThat(status.method()).isEqualTo("GET");
        assertThat(status.path()).isEqualTo("/cp/workspaces/" + id + "/status");
        assertThat(status.queryParameter("instance_id")).contains(instance.ref().value());
        RecordedRequest delete = controlPlane.requests(Route.TERMINATE).getFirst();
        assertThat(delete.method()).isEqualTo("DELETE");
        assertThat(delete.path()).isEqualTo("/cp/workspaces/" + id);
        assertThat(delete.queryParameter("instance_id")).contains(instance.ref().value());
        assertThat(controlPlane.requests()).allSatisfy(r -> assertThat(r.queryParameter("instance_id"))
                .isNotEqualTo(java.util.Optional.of(id.toString())));
    }

    @Test
    void stoppingAnInstanceTheControlPlaneDoesNotKnowSucceeds() {
        assertThatCode(() -> backend.stop(id, new InstanceRef("i-gone"))).doesNotThrowAnyException();
        assertThat(controlPlane.requests(Route.TERMINATE)).hasSize(1);
    }

    @Test
    void aStopTheControlPlaneRefusesIsAFailureNamingTheStatusOnly() {
        Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));
        controlPlane.fail(Route.TERMINATE, Failure.SERVER_ERROR);

        assertThatThrownBy(() -> backend.stop(id, instance.ref()))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("(500)")
                .hasMessageNotContaining(Failure.BODY_MARKER);
        assertThat(backend.listOwned()).extracting(OwnedInstance::ref).contains(instance.ref());
    }

    @Test
    void aStopThatCannotReachTheControlPlaneIsAFailure() throws IOException {
        ControlPlaneProvisioner cut = new ControlPlaneProvisioner(TestConfigs.config(closedUrl(), stateDir));

        assertThatThrownBy(() -> cut.stop(id, new InstanceRef("i-1")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("cannot stop instance i-1");
    }

    @Test
    void consoleReadsTheAdminRouteAndRemovesTheAgentsSecrets() {
        Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));

        String output = backend.console(id, instance.ref()).orElseThrow();

        assertThat(controlPlane.requests(Route.CONSOLE).getFirst().path())
                .isEqualTo("/cp/admin/workspaces/" + id + "/console");
        assertThat(output).startsWith("booted " + instance.ref().value());
        assertThat(output).contains("WORKSPACE_AUTH_TOKEN=[redacted]").doesNotContain(TOKEN);
    }

    @Test
    void aConsoleTheControlPlaneRefusesIsAFailureNamingTheStatusOnly() {
        Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));
        controlPlane.fail(Route.CONSOLE, Failure.UNAUTHORIZED);

        assertThatThrownBy(() -> backend.console(id, instance.ref()))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("(401)")
                .hasMessageNotContaining(Failure.BODY_MARKER);
    }

    @Test
    void theAgentsSecretsNeverReachTheLogsNorAnyErrorMessage() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.ALL);
        List<String> messages = new ArrayList<>();
        try {
            Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));
            backend.probe(id, instance.ref());
            backend.stop(id, instance.ref());
            for (Failure failure : new Failure[] {Failure.SERVER_ERROR, Failure.HTML_BODY, Failure.UNAUTHORIZED}) {
                controlPlane.fail(failure);
                try {
                    backend.start(TestConfigs.spec(id, 2, TOKEN));
                } catch (BackendException e) {
                    messages.add(e.getMessage());
                }
                messages.add(backend.probe(id, instance.ref()).toString());
            }
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
        for (ILoggingEvent event : logs.list) {
            messages.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                messages.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(messages).isNotEmpty().noneMatch(m -> m.contains(TOKEN) || m.contains(Failure.BODY_MARKER));
    }

    @Test
    void probeAllAsksOncePerInstanceAndAgreesWithProbe() {
        Map<WorkspaceId, InstanceRef> started = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            WorkspaceId each = WorkspaceId.random();
            started.put(each, backend.start(TestConfigs.spec(each, 1, TOKEN)).ref());
        }
        WorkspaceId dead = started.keySet().iterator().next();
        controlPlane.terminateBehindTheBack(started.get(dead).value());
        List<OwnedInstance> instances = started.entrySet().stream()
                .map(e -> new OwnedInstance(e.getKey(), 1, e.getValue()))
                .toList();

        Map<WorkspaceId, Liveness> answers = backend.probeAll(instances);

        assertThat(controlPlane.requests(Route.STATUS)).hasSize(10);
        assertThat(answers).hasSize(10).containsEntry(dead, Liveness.STOPPED);
        assertThat(answers.values().stream().filter(Liveness.RUNNING::equals)).hasSize(9);
    }

    @Test
    void aRestartedServerStillListsTheInstancesItProvisionedAndDidNotStop() {
        Instance kept = backend.start(TestConfigs.spec(id, 4, TOKEN));
        WorkspaceId other = WorkspaceId.random();
        Instance stopped = backend.start(TestConfigs.spec(other, 1, TOKEN));
        backend.stop(other, stopped.ref());
        int callsBefore = controlPlane.requests().size();

        ControlPlaneProvisioner restarted =
                new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), stateDir));

        assertThat(restarted.listOwned()).containsExactly(new OwnedInstance(id, 4, kept.ref()));
        assertThat(controlPlane.requests()).hasSize(callsBefore);
    }

    @Test
    void eachReplicaListsOnlyTheInstancesItProvisionedSoEachReapsItsOwnOrphans(@TempDir Path otherReplicasDir) {
        ControlPlaneProvisioner otherReplica =
                new ControlPlaneProvisioner(TestConfigs.config(controlPlane.url(), otherReplicasDir));
        Instance mine = backend.start(TestConfigs.spec(id, 1, TOKEN));
        Instance theirs = otherReplica.start(TestConfigs.spec(WorkspaceId.random(), 1, TOKEN));

        assertThat(backend.listOwned()).extracting(OwnedInstance::ref).containsExactly(mine.ref());
        assertThat(otherReplica.listOwned()).extracting(OwnedInstance::ref).containsExactly(theirs.ref());
        assertThat(backend.listsPerServer()).isTrue();
    }

    @Test
    void aStartThatOutlastsTheLongestAStartMayTakeHasFailed() {
        controlPlane.fail(Route.PROVISION, Failure.HANG);
        Instant before = Instant.now();

        assertThatThrownBy(() -> backend.start(TestConfigs.spec(id, 1, TOKEN))).isInstanceOf(BackendException.class);

        assertThat(Duration.between(before, Instant.now())).isLessThan(backend.longestStart());
        assertThat(backend.longestStart())
                .isGreaterThan(TestConfigs.config(controlPlane.url(), stateDir).provisionTimeout());
        controlPlane.heal();
    }

    @Test
    void anInstanceWhoseStopFailedStaysListedSoThatReconciliationTriesAgain() {
        Instance instance = backend.start(TestConfigs.spec(id, 1, TOKEN));
        controlPlane.fail(Route.TERMINATE, Failure.UNAVAILABLE);
        assertThatThrownBy(() -> backend.stop(id, instance.ref())).isInstanceOf(BackendException.class);

        assertThat(backend.listOwned()).extracting(OwnedInstance::ref).containsExactly(instance.ref());
        controlPlane.heal();
        backend.stop(id, instance.ref());
        assertThat(backend.listOwned()).isEmpty();
    }

    @Test
    void theConfigurationNeverPrintsItsSecrets() {
        String shown = TestConfigs.config(controlPlane.url(), stateDir).toString();

        assertThat(shown)
                .doesNotContain(TestConfigs.SHARED_SECRET)
                .doesNotContain(TestConfigs.TENANT_TOKEN)
                .doesNotContain(TestConfigs.ADMIN_KEY)
                .contains("<set>");
    }

    private static String closedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
