package dev.lifeline.backend.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Configuration of the process backend.
 *
 * @param dataDir the directory under which {@code process/logs} and {@code process/instances} live
 * @param serverId this Lifeline server's instance id, written on every process it starts
 * @param runtimes the command line per runtime name; elements may contain {@code {port}} and
 *     {@code {workspace_id}}
 * @param stopGrace how long a stopped process may take to exit after SIGTERM before it is killed
 * @param inherited the server variables every agent process starts with, and the only ones: see
 *     {@link dev.lifeline.core.AgentEnvPolicy#hostBasics}
 */
public record ProcessBackendConfig(
        Path dataDir,
        String serverId,
        Map<String, List<String>> runtimes,
        Duration stopGrace,
        Map<String, String> inherited) {

    public ProcessBackendConfig {
        if (serverId.isBlank()) {
            throw new IllegalArgumentException("serverId must not be blank");
        }
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("stopGrace must not be negative, was " + stopGrace);
        }
        runtimes.forEach((name, command) -> {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("runtimes." + name + " must name a command");
            }
        });
        runtimes = runtimes.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        inherited = Map.copyOf(inherited);
    }
}
