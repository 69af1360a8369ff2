package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.testkit.DockerEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Docker backend does beyond the common contract, checked on a real engine. */
class DockerProvisionerTest {
    private static final String SERVER =
            "docker-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String NETWORK = "lifeline-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String image;
    private static DockerProvisioner docker;
    private final List<Instance> started = new ArrayList<>();
    private final List<DockerProvisioner> others = new ArrayList<>();

    @BeforeAll
    static void startBackend() {
        String host = DockerEngine.dockerHost();
        image = TestImages.referenceAgent();
        docker = new DockerProvisioner(
                DockerBackendConfig.of(host, SERVER, Map.of("echo", image, "ghost", "lifeline/no-such-image:1"))
                        .withNetwork(NETWORK));
    }

    @AfterEach
    void stopEverything() {
        for (Instance instance : started) {
            DockerEngine.docker("rm", "-f", instance.ref().value());
        }
        others.forEach(DockerProvisioner::close);
    }

    @AfterAll
    static void closeBackend() {
        if (docker != null) {
            docker.close();
            TestVolumes.removeAllOf(SERVER);
        }
    }

    @Test
    void aContainerIsNamedLabelledAndPublishedLikeTheReferencesButNeverRestartedByDocker() throws Exception {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(spec(id, 7, 0, Map.of()), docker);

        JsonNode container = inspect(instance);

        assertThat(container.path("Name").asText()).isEqualTo("/ws-" + id.shortForm());
        Map<String, String> labels = JSON.convertValue(container.path("Config").path("Labels"), Map.class);
        assertThat(labels)
                .containsEntry("dev.lifeline.managed", "true")
                .containsEntry("dev.lifeline.workspace-id", id.toString())
                .containsEntry("dev.lifeline.generation", "7")
                .containsEntry("dev.lifeline.server-id", SERVER);
        JsonNode published =
                container.path("NetworkSettings").path("Ports").path("8000/tcp").get(0);
        assertThat(published.path("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(instance.url())
                .isEqualTo("http://127.0.0.1:" + published.path("HostPort").asText());
        // The daemon's "never restart" policy is the empty name (the CLI spells it "no").
        assertThat(container.at("/HostConfig/RestartPolicy/Name").asText()).isIn("", "no");
        assertThat(container
                        .path("NetworkSettings")
                        .path("Networks")
                        .path(NETWORK)
                        .path("Aliases")
                        .toString())
                .contains("\"ws-" + id.shortForm() + "\"");
        assertThat(mounts(container))
                .containsEntry("/configs", "ws-" + id + "-configs")
                .containsEntry("/workspace", "ws-" + id + "-workspace");
        assertThat(DockerEngine.docker("volume", "inspect", "-f", "{{json .Labels}}", "ws-" + id + "-configs"))
                .contains("\"dev.lifeline.managed\":\"true\"", "\"dev.lifeline.server-id\":\"" + SERVER + "\"");
        assertThat(agentCard(instance)).contains("\"name\":\"echo\"");
    }

    @Test
    void tierZeroMeansTierTwoWithItsMemoryAndCpuCap() throws Exception {
        Instance instance = start(spec(WorkspaceId.random(), 1, 0, Map.of()), docker);

        JsonNode host = inspect(instance).path("HostConfig");

        assertThat(host.path("Memory").asLong()).isEqualTo(512L * 1024 * 1024);
        assertThat(host.path("NanoCpus").asLong()).isEqualTo(1_000_000_000L);
        assertThat(host.path("Privileged").asBoolean()).isFalse();
        assertThat(env(inspect(instance))).contains("TIER=2");
    }

    @Test
    void aSandboxedTierOneAgentRunsOnAReadOnlyRootWithItsConfigVolumeOnly() throws Exception {
        Instance instance = start(spec(WorkspaceId.random(), 1, 1, Map.of()), docker);

        JsonNode container = inspect(instance);

        assertThat(container.path("HostConfig").path("ReadonlyRootfs").asBoolean())
                .isTrue();
        assertThat(container.path("HostConfig").path("Tmpfs").path("/tmp").asText())
                .isEqualTo("rw,noexec,nosuid,size=64m");
        assertThat(mounts(container)).containsOnlyKeys("/configs");
        assertThat(agentCard(instance)).contains("\"name\":\"echo\"");
    }

    @Test
    void lifelinesPlatformVariablesWinOverTheWorkspacesOwn() throws Exception {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(
                spec(id, 1, 2, Map.of("WORKSPACE_ID", "spoofed", "PLATFORM_URL", "http://evil.example", "MODEL", "m1")),
                docker);

        List<String> env = env(inspect(instance));

        assertThat(env).contains("WORKSPACE_ID=" + id, "PLATFORM_URL=http://host.docker.internal:9", "MODEL=m1");
        assertThat(env).filteredOn(line -> line.startsWith("WORKSPACE_ID=")).hasSize(1);
        assertThat(env).filteredOn(line -> line.startsWith("PLATFORM_URL=")).hasSize(1);
        assertThat(inspect(instance).path("HostConfig").path("ExtraHosts").toString())
                .contains("host.docker.internal:host-gateway");
    }

    @Test
    void theWorkspaceTokenIsWrittenIntoTheConfigVolumeWithOwnerOnlyAccess(@TempDir Path dir) throws Exception {
        Instance instance = start(spec(WorkspaceId.random(), 1, 2, Map.of()), docker);

        Path copy = dir.resolve("token");
        DockerEngine.docker("cp", instance.ref().value() + ":/configs/.auth_token", copy.toString());

        assertThat(Files.readString(copy)).isEqualTo("secret-token-value");
        assertThat(Files.getPosixFilePermissions(copy)).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void theConsoleShowsTheAgentsOutputWithSecretValuesHidden() throws Exception {
        WorkspaceId id = WorkspaceId.random();
        Instance instance = start(spec(id, 1, 2, Map.of("AGENT_NAME", "secret-token-value")), docker);
        agentCard(instance);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> docker.console(id, instance.ref()).orElse("").contains("started name="));
        String console = docker.console(id, instance.ref()).orElseThrow();

        assertThat(console).contains("started name=[redacted]").doesNotContain("secret-token-value");
    }

    @Test
    void aMissingImageThatCannotBePulledIsNamedWithItsRuntime() {
        assertThatThrownBy(() -> start(
                        new StartSpec(WorkspaceId.random(), 1, "ghost", "ghost", 2, "http://127.0.0.1:9", Map.of()),
                        docker))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("lifeline/no-such-image:1")
                .hasMessageContaining("runtime 'ghost'");
    }

    @Test
    void aContainerNameHeldByAnotherWorkspaceIsNeverTakenOver() {
        WorkspaceId holder = WorkspaceId.random();
        WorkspaceId lookalike = new WorkspaceId(UUID.fromString(holder.shortForm() + "0-0000-0000-000000000000"));
        Instance held = start(spec(holder, 1, 2, Map.of()), docker);

        assertThatThrownBy(() -> start(spec(lookalike, 1, 2, Map.of()), docker))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("taken by workspace " + holder);
        assertThat(docker.probe(holder, held.ref())).isEqualTo(Liveness.RUNNING);
    }

    @Test
    void aForcedPlatformIsUsedToCreateTheContainer() throws Exception {
        DockerProvisioner forced = new DockerProvisioner(new DockerBackendConfig(
                DockerEngine.dockerHost(),
                SERVER,
                null,
                Map.of("echo", image),
                new ImagePlatform("linux", "amd64"),
                TierResources.defaults(),
                null,
                null,
                WorkspaceAccess.NONE,
                Duration.ofSeconds(30)));
        others.add(forced);

        Instance instance = start(spec(WorkspaceId.random(), 1, 2, Map.of()), forced);

        assertThat(inspect(instance).path("Platform").asText()).isEqualTo("linux");
        assertThat(agentCard(instance)).contains("\"name\":\"echo\"");
    }

    private Instance start(StartSpec spec, DockerProvisioner backend) {
        Instance instance = backend.start(spec);
        started.add(instance);
        return instance;
    }

    private static StartSpec spec(WorkspaceId id, long generation, int tier, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("WORKSPACE_AUTH_TOKEN", "secret-token-value");
        return new StartSpec(id, generation, "test", "echo", tier, "http://127.0.0.1:9", all);
    }

    private static JsonNode inspect(Instance instance) throws Exception {
        return JSON.readTree(DockerEngine.docker("inspect", instance.ref().value()))
                .get(0);
    }

    private static List<String> env(JsonNode container) {
        List<String> env = new ArrayList<>();
        container.path("Config").path("Env").forEach(line -> env.add(line.asText()));
        return env;
    }

    private static Map<String, String> mounts(JsonNode container) {
        Map<String, String> mounts = new java.util.TreeMap<>();
        container
                .path("Mounts")
                .forEach(m -> mounts.put(
                        m.path("Destination").asText(), m.path("Name").asText()));
        return mounts;
    }

    /** The agent card, once the agent in the container answers on its published port. */
    private static String agentCard(Instance instance) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(instance.url() + "/.well-known/agent-card.json"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
                        r -> r.statusCode() == 200)
                .body();
    }
}
