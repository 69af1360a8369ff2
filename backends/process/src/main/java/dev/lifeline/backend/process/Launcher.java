package dev.lifeline.backend.process;

import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.PrivateFiles;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a start spec into a running OS process: command line, environment, log file. */
final class Launcher {
    static final String LOOPBACK = "127.0.0.1";

    private final String serverId;
    private final Path workRoot;
    private final Map<String, String> inherited;

    Launcher(String serverId, Path workRoot, Map<String, String> inherited) {
        this.serverId = serverId;
        this.workRoot = workRoot;
        this.inherited = inherited;
    }

    /** A process ready to start; its {@code environment()} is exactly what the agent will see. */
    ProcessBuilder prepare(StartSpec spec, List<String> template, int port, Path logFile) throws IOException {
        Path workDir = PrivateFiles.directory(workRoot.resolve(spec.id().toString()));
        ProcessBuilder builder = new ProcessBuilder(command(template, port, spec.id()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        applyEnvironment(builder.environment(), spec, port);
        return builder;
    }

    static Process start(ProcessBuilder prepared) throws IOException {
        Process process = prepared.start();
        process.getOutputStream().close(); // the agent reads no input; give it end-of-file
        return process;
    }

    static List<String> command(List<String> template, int port, WorkspaceId id) {
        return template.stream()
                .map(part -> part.replace("{port}", Integer.toString(port)).replace("{workspace_id}", id.toString()))
                .toList();
    }

    /**
     * Replaces {@code env} (a process builder's, which starts as a copy of the server's whole
     * environment) with the agent's, by {@link AgentEnvPolicy}: the inherited allow-list, then the
     * workspace's variables, then the platform's.
     */
    void applyEnvironment(Map<String, String> env, StartSpec spec, int port) {
        Map<String, String> agent = AgentEnvPolicy.layered(inherited, spec.env(), platformVariables(spec, port));
        env.clear();
        env.putAll(agent);
    }

    private Map<String, String> platformVariables(StartSpec spec, int port) {
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("WORKSPACE_ID", spec.id().toString());
        platform.put("PLATFORM_URL", spec.platformUrl());
        platform.put("MOLECULE_URL", spec.platformUrl()); // older agents read this name; it always equals PLATFORM_URL
        platform.put("PORT", Integer.toString(port));
        platform.put("TIER", Integer.toString(spec.tier()));
        platform.put("LIFELINE_SERVER_ID", serverId);
        platform.put("LIFELINE_WORKSPACE_ID", spec.id().toString());
        platform.put("LIFELINE_GENERATION", Long.toString(spec.generation()));
        return platform;
    }
}
