package dev.lifeline.backend.process;

import static dev.lifeline.backend.process.TestAgents.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.DeathRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessBackendTest {
    @TempDir
    Path dataDir;

    private ProcessProvisioner backend;
    private final List<Running> started = new ArrayList<>();

    @BeforeEach
    void createBackend() {
        backend = new ProcessProvisioner(TestAgents.config(dataDir, "server-a"));
    }

    @AfterEach
    void stopEverything() {
        started.forEach(running -> backend.stop(running.id(), running.instance().ref()));
    }

    @Test
    void aSigkilledAgentIsReportedWithinASecondAndProbesStopped() {
        DeathRecorder deaths = new DeathRecorder();
        backend.watch(deaths);
        Running agent = start("sleeper");

        TestAgents.kill9(agent.ref());

        await().atMost(Duration.ofSeconds(1)).until(() -> deaths.reported(agent.ref()));
        assertThat(deaths.all()).singleElement().satisfies(death -> assertThat(death.reason())
                .contains("137"));
        assertThat(backend.probe(agent.id(), agent.ref())).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void anAgentIgnoringSigtermIsKilledAfterTheGrace() {
        Running agent = start("stubborn");
        awaitConsole(agent, "trapped");
        long before = System.nanoTime();

        backend.stop(agent.id(), agent.ref());

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(backend.probe(agent.id(), agent.ref())).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void stopEndsTheAgentsChildrenToo() {
        Running agent = start("parent");
        awaitConsole(agent, "children started");
        ProcessHandle root = ProcessHandle.of(pid(agent)).orElseThrow();
        List<ProcessHandle> children = root.children().toList();
        assertThat(children).hasSize(2);

        backend.stop(agent.id(), agent.ref());

        assertThat(children).allMatch(PidRef::hasExited);
    }

    @Test
    void aSecondServerWithTheSameIdAdoptsTheAgentsAndCanStopThem() {
        Running agent = start("sleeper");
        ProcessProvisioner restarted = new ProcessProvisioner(TestAgents.config(dataDir, "server-a"));

        assertThat(restarted.listOwned()).containsExactly(new OwnedInstance(agent.id(), 1, agent.ref()));
        assertThat(restarted.probe(agent.id(), agent.ref())).isEqualTo(Liveness.RUNNING);
        restarted.stop(agent.id(), agent.ref());

        assertThat(backend.probe(agent.id(), agent.ref())).isEqualTo(Liveness.STOPPED);
        assertThat(restarted.listOwned()).isEmpty();
    }

    @Test
    void anAdoptedAgentsDeathIsReported() {
        Running agent = start("sleeper");
        ProcessProvisioner restarted = new ProcessProvisioner(TestAgents.config(dataDir, "server-a"));
        DeathRecorder deaths = new DeathRecorder();
        restarted.watch(deaths);
        assertThat(restarted.listOwned()).hasSize(1);

        TestAgents.kill9(agent.ref());

        await().atMost(Duration.ofSeconds(1)).until(() -> deaths.reported(agent.ref()));
    }

    @Test
    void aKilledProcessWhoseParentNeverReapsItProbesStopped() {
        Running agent = start("zombie-maker");
        String console = awaitConsole(agent, "child ");
        long childPid =
                Long.parseLong(console.substring(console.indexOf("child ") + 6).strip());
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        InstanceRef childRef = PidRef.of(child).orElseThrow().toRef();

        child.destroyForcibly();

        await().atMost(Duration.ofSeconds(1))
                .until(() -> backend.probe(agent.id(), childRef).equals(Liveness.STOPPED));
        assertThat(child.isAlive())
                .as("the JDK still counts the zombie as alive")
                .isTrue();
    }

    @Test
    void aServerWithAnotherIdDoesNotSeeTheAgents() {
        start("sleeper");
        ProcessProvisioner other = new ProcessProvisioner(TestAgents.config(dataDir, "server-b"));

        assertThat(other.listOwned()).isEmpty();
        assertThat(backend.listOwned()).hasSize(1);
    }

    @Test
    void listOwnedForgetsAgentsThatDied() throws IOException {
        Running agent = start("sleeper");
        TestAgents.kill9(agent.ref());
        await().until(() -> backend.probe(agent.id(), agent.ref()).equals(Liveness.STOPPED));

        assertThat(backend.listOwned()).isEmpty();
        try (Stream<Path> files = Files.list(dataDir.resolve("process/instances"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void platformVariablesWinOverTheAgentEnvironment() {
        Running agent = start("env-printer");

        String console = awaitConsole(agent, "printed");

        int port = URI.create(agent.instance().url()).getPort();
        assertThat(console)
                .contains("WORKSPACE_ID=" + agent.id(), "PORT=" + port, "TIER=2", "AGENT_SETTING=kept")
                .contains("PLATFORM_URL=http://127.0.0.1:8080", "LIFELINE_SERVER_ID=server-a")
                .contains("LIFELINE_WORKSPACE_ID=" + agent.id(), "LIFELINE_GENERATION=1")
                .doesNotContain("WORKSPACE_ID=spoofed", "PORT=1\n");
    }

    @Test
    void theConsoleRedactsTheToken() {
        Running agent = start("env-printer");

        String console = awaitConsole(agent, "printed");

        assertThat(console).contains("WORKSPACE_AUTH_TOKEN=[redacted]").doesNotContain(TestAgents.TOKEN);
    }

    @Test
    void anAdoptingServerStillRedactsTheToken() {
        Running agent = start("env-printer");
        awaitConsole(agent, "printed");
        ProcessProvisioner restarted = new ProcessProvisioner(TestAgents.config(dataDir, "server-a"));
        restarted.listOwned();

        assertThat(restarted.console(agent.id(), agent.ref()))
                .hasValueSatisfying(
                        console -> assertThat(console).contains("printed").doesNotContain(TestAgents.TOKEN));
    }

    @Test
    void commandPlaceholdersAreFilledInAndEachGenerationIsMarkedInTheLog() {
        Running first = start("sleeper");
        awaitConsole(first, "on port");
        backend.stop(first.id(), first.ref());
        Instance second = backend.start(spec(first.id(), 2, "sleeper"));
        started.add(new Running(first.id(), second));
        int port = URI.create(second.url()).getPort();

        String console = awaitConsole(started.getLast(), "on port " + port);

        assertThat(console)
                .containsSubsequence(
                        "generation 1", "workspace " + first.id() + " on port", "generation 2", "on port " + port);
    }

    @Test
    void manyWorkspacesStartAndStopAtOnce() throws Exception {
        List<WorkspaceId> ids = Stream.generate(WorkspaceId::random).limit(8).toList();
        Map<WorkspaceId, Instance> instances = new ConcurrentHashMap<>();

        allAtOnce(ids.stream().map(id -> (Runnable) () -> instances.put(id, backend.start(spec(id, 1, "sleeper")))));
        assertThat(instances).hasSize(ids.size());
        assertThat(instances).allSatisfy((id, instance) -> assertThat(backend.probe(id, instance.ref()))
                .isEqualTo(Liveness.RUNNING));
        allAtOnce(instances.entrySet().stream()
                .map(entry ->
                        () -> backend.stop(entry.getKey(), entry.getValue().ref())));

        assertThat(instances).allSatisfy((id, instance) -> assertThat(backend.probe(id, instance.ref()))
                .isEqualTo(Liveness.STOPPED));
        assertThat(backend.listOwned()).isEmpty();
    }

    private static void allAtOnce(Stream<Runnable> tasks) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = tasks.<Future<?>>map(threads::submit).toList();
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }

    @Test
    void logsAndStateAreReadableByThisUserOnly() throws IOException {
        start("sleeper");

        assertThat(Files.getPosixFilePermissions(dataDir.resolve("process")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void anUnknownRuntimeIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> backend.start(spec(WorkspaceId.random(), 1, "cobol")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("'cobol'")
                .hasMessageContaining("sleeper");
    }

    @Test
    void aRecycledPidWithAnotherStartInstantProbesStopped() {
        Running agent = start("sleeper");
        PidRef real = PidRef.parse(agent.ref()).orElseThrow();
        InstanceRef earlierProcess = new PidRef(real.pid(), real.startMillis() - 60_000).toRef();

        assertThat(backend.probe(agent.id(), earlierProcess)).isEqualTo(Liveness.STOPPED);
        assertThat(backend.probe(agent.id(), agent.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void theAgentListensOnTheUrlThatStartReturns() {
        Running agent = start("java-agent");
        URI url = URI.create(agent.instance().url());

        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> answers(url));
    }

    private static boolean answers(URI url) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort());
                InputStream in = socket.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("alive");
        }
    }

    private Running start(String runtime) {
        WorkspaceId id = WorkspaceId.random();
        Running running = new Running(id, backend.start(spec(id, 1, runtime)));
        started.add(running);
        return running;
    }

    private String awaitConsole(Running agent, String text) {
        return await().atMost(Duration.ofSeconds(5))
                .until(() -> backend.console(agent.id(), agent.ref()).orElse(""), console -> console.contains(text));
    }

    private static long pid(Running agent) {
        return PidRef.parse(agent.ref()).orElseThrow().pid();
    }

    private record Running(WorkspaceId id, Instance instance) {
        InstanceRef ref() {
            return instance.ref();
        }
    }
}
