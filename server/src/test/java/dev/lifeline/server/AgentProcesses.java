package dev.lifeline.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agent processes as the operating system sees them: every live process that carries the labels the
 * process backend puts on its agents ({@code LIFELINE_SERVER_ID}, {@code LIFELINE_WORKSPACE_ID},
 * {@code LIFELINE_GENERATION}), read from {@code /proc/<pid>/environ}. Zombies do not count: their
 * agent is gone, only the parent has not reaped it.
 */
final class AgentProcesses {
    private static final Path PROC = Path.of("/proc");

    /** One live labelled process. */
    record Agent(long pid, String serverId, String workspaceId, long generation) {}

    private AgentProcesses() {}

    /** Whether this machine lets us read processes' labels at all (Linux with {@code /proc}). */
    static boolean readable() {
        return Files.isReadable(PROC.resolve("self").resolve("environ"));
    }

    /** The id a server keeps in its data directory and labels its agents with. */
    static String serverIdOf(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("server-id")).trim();
    }

    /** Every live process labelled as a Lifeline agent, by any server. */
    static List<Agent> all() {
        List<Agent> agents = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> agentIn(p.pid()).ifPresent(agents::add));
        return agents;
    }

    /** Every live process labelled with {@code serverId}. */
    static List<Agent> labelledBy(String serverId) {
        return all().stream().filter(a -> a.serverId().equals(serverId)).toList();
    }

    /**
     * SIGKILLs every process labelled with {@code serverId} and waits until none is left; answers
     * the ones it had to kill. It checks {@code /proc} rather than {@link ProcessHandle#onExit}, which
     * never completes for a zombie that is not our child.
     */
    static List<Agent> killAll(String serverId, Duration within) {
        List<Agent> killed = labelledBy(serverId);
        killed.forEach(a -> ProcessHandle.of(a.pid()).ifPresent(ProcessHandle::destroyForcibly));
        await().atMost(within).until(() -> labelledBy(serverId).isEmpty());
        return killed;
    }

    /** The environment process {@code pid} started with, as the kernel shows it to its owner. */
    static Map<String, String> environOf(long pid) throws IOException {
        return environ(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ")));
    }

    private static Optional<Agent> agentIn(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            if (isZombie(Files.readString(dir.resolve("stat")))) {
                return Optional.empty();
            }
            Map<String, String> env = environ(Files.readAllBytes(dir.resolve("environ")));
            String server = env.get("LIFELINE_SERVER_ID");
            String workspace = env.get("LIFELINE_WORKSPACE_ID");
            String generation = env.get("LIFELINE_GENERATION");
            if (server == null || workspace == null || generation == null) {
                return Optional.empty();
            }
            return Optional.of(new Agent(pid, server, workspace, Long.parseLong(generation)));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone meanwhile, or another user's process
        }
    }

    private static boolean isZombie(String stat) {
        int endOfName = stat.lastIndexOf(')');
        char state = endOfName > 0 && endOfName + 2 < stat.length() ? stat.charAt(endOfName + 2) : '?';
        return state == 'Z' || state == 'X';
    }

    private static Map<String, String> environ(byte[] bytes) {
        Map<String, String> env = new java.util.HashMap<>();
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }
}
