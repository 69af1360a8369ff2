package dev.lifeline.backend.process;

import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Turns a start spec into a running OS process: command line, environment, log file. */
final class Launcher {
    static final String LOOPBACK = "127.0.0.1";

    private final String serverId;
    private final Path workRoot;

    Launcher(String serverId, Path workRoot) {
        this.serverId = serverId;
        this.workRoot = workRoot;
    }

    /** A process ready to start; its {@code environment()} is exactly what the agent will see. */
    ProcessBuilder prepare(StartSpec spec, List<String> template, int port, Path logFile) throws IOException {
        Path workDir = PrivateDirectories.create(workRoot.resolve(spec.id().toString()));
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
     * The inherited environment, then the agent's, then the platform's, which wins every clash. The
     * server's own {@code LIFELINE_*} settings (its admin token among them) are not inherited.
     */
    void applyEnvironment(Map<String, String> env, StartSpec spec, int port) {
        env.keySet().removeIf(key -> key.startsWith("LIFELINE_"));
        env.putAll(spec.env());
        env.put("WORKSPACE_ID", spec.id().toString());
        env.put("PLATFORM_URL", spec.platformUrl());
        env.put("MOLECULE_URL", spec.platformUrl()); // older agents read this name; it always equals PLATFORM_URL
        env.put("PORT", Integer.toString(port));
        env.put("TIER", Integer.toString(spec.tier()));
        env.put("LIFELINE_SERVER_ID", serverId);
        env.put("LIFELINE_WORKSPACE_ID", spec.id().toString());
        env.put("LIFELINE_GENERATION", Long.toString(spec.generation()));
    }
}
