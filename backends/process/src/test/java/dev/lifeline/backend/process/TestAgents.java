package dev.lifeline.backend.process;

import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runtimes, specs and a crash for the process backend's tests. */
final class TestAgents {
    static final String TOKEN = "tok-" + "s3cr3t-value-that-must-never-show";

    private TestAgents() {}

    static ProcessBackendConfig config(Path dataDir, String serverId) {
        return new ProcessBackendConfig(
                dataDir, serverId, runtimes(), Duration.ofMillis(500), AgentEnvPolicy.hostBasics(System.getenv()));
    }

    static Map<String, List<String>> runtimes() {
        return Map.of(
                "sleeper", shell("echo workspace {workspace_id} on port {port}; exec sleep 600"),
                "env-printer", shell("env; echo printed; exec sleep 600"),
                "stubborn", shell("trap '' TERM; echo trapped; sleep 600"),
                "parent", shell("sleep 600 & sleep 600 & echo children started; wait"),
                "zombie-maker", shell("sleep 600 & echo child $!; exec sleep 600"),
                "java-agent", javaAgent());
    }

    static StartSpec spec(WorkspaceId id, long generation, String runtime) {
        Map<String, String> env = Map.of(
                "WORKSPACE_AUTH_TOKEN", TOKEN,
                "PORT", "1",
                "WORKSPACE_ID", "spoofed",
                "AGENT_SETTING", "kept");
        return new StartSpec(id, generation, "test agent", runtime, 2, "http://127.0.0.1:8080", env);
    }

    /** What a crash does: SIGKILL, without the backend knowing. */
    static void kill9(InstanceRef ref) {
        long pid = PidRef.parse(ref).orElseThrow().pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static List<String> shell(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    private static List<String> javaAgent() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = Path.of(TinyAgent.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toString();
        return List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", classes, TinyAgent.class.getName(), "{port}");
    }
}
