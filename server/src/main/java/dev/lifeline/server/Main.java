package dev.lifeline.server;

import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code lifeline} command line. */
@Command(
        name = "lifeline",
        mixinStandardHelpOptions = true,
        description = "A self-healing control plane for AI-agent workspaces.",
        subcommands = {
            Main.Serve.class,
            DemoCommand.class,
            Main.Agent.class,
            WsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("lifeline: configuration error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("lifeline: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options shared by the commands that start a server. */
    static final class ServerOptions {
        @Option(names = "--port", description = "HTTP port (LIFELINE_PORT, default 8080)")
        @Nullable
        Integer port;

        @Option(names = "--data-dir", description = "data directory (LIFELINE_DATA_DIR, default ./data)")
        @Nullable
        Path dataDir;

        /** The environment with the options applied over it: an option wins over its variable. */
        Map<String, String> apply(Map<String, String> env) {
            Map<String, String> merged = new java.util.HashMap<>(env);
            if (port != null) {
                merged.put("LIFELINE_PORT", String.valueOf(port));
            }
            if (dataDir != null) {
                merged.put("LIFELINE_DATA_DIR", dataDir.toString());
            }
            return merged;
        }
    }

    @Command(name = "serve", description = "Run the Lifeline server until interrupted.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ServerOptions options = new ServerOptions();

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> env = options.apply(System.getenv());
            leakSamplingAsAsked(System.getProperty(LEAK_LEVEL));
            LifelineServer server = LifelineServer.start(LifelineConfig.from(env), env);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            System.out.println("Lifeline is running at " + server.baseUrl());
            System.out.println("Admin token: "
                    + (server.config().adminToken().isPresent()
                            ? "from LIFELINE_ADMIN_TOKEN"
                            : "in " + server.config().dataDir().resolve("admin-token")));
            stopped.await();
            return 0;
        }
    }

    static final String LEAK_LEVEL = "io.netty.leakDetection.level";

    /**
     * A served Lifeline runs without Netty's leak sampling unless {@code -Dio.netty.leakDetection.level}
     * asks for it: under load the sampling took 2 % of the edge's CPU (a stack trace recorded for
     * sampled buffers, BENCHMARKS.md), and the tests, which run with Netty's default, are where leaks
     * are looked for.
     */
    static void leakSamplingAsAsked(@Nullable String level) {
        if (level == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    @Command(name = "agent", description = "Run the reference A2A agent (reads PORT, PLATFORM_URL, ...).")
    static final class Agent implements Callable<Integer> {
        @CommandLine.Parameters(description = "arguments passed to the agent")
        String[] args = new String[0];

        @Override
        public Integer call() {
            dev.lifeline.agent.ReferenceAgent.main(args);
            return 0;
        }
    }
}
