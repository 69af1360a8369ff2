package dev.lifeline.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeline ws list|create|restart|delete}: operate a running server. */
@Command(
        name = "ws",
        description = "Manage workspaces on a running server.",
        subcommands = {WsCommand.List.class, WsCommand.Create.class, WsCommand.Restart.class, WsCommand.Delete.class})
final class WsCommand {

    /** Where the server is and how to authenticate. */
    static final class Target {
        @Option(names = "--url", description = "server URL (default http://127.0.0.1:$LIFELINE_PORT)")
        @Nullable
        String url;

        @Option(
                names = "--token",
                description = "admin token (default $LIFELINE_ADMIN_TOKEN or <data-dir>/admin-token)")
        @Nullable
        String token;

        ApiClient client() {
            LifelineConfig config = LifelineConfig.from(System.getenv());
            String base = url != null ? url : "http://127.0.0.1:" + config.port();
            return new ApiClient(
                    base, token != null ? token : config.adminToken().orElseGet(() -> read(config.dataDir())));
        }

        private static String read(Path dataDir) {
            try {
                return Files.readString(dataDir.resolve("admin-token")).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "no admin token: set LIFELINE_ADMIN_TOKEN or pass --token (looked in " + dataDir + ")", e);
            }
        }
    }

    static int print(ApiClient.Reply reply) {
        System.out.println(reply.body());
        return reply.status() < 400 ? 0 : 1;
    }

    @Command(name = "list", description = "List workspaces.")
    static final class List implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            return print(target.client().get("/workspaces"));
        }
    }

    @Command(name = "create", description = "Create a workspace.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", description = "workspace name")
        String name = "";

        @Option(names = "--runtime", description = "runtime (default echo)")
        String runtime = "echo";

        @Option(names = "--tier", description = "tier 1..4 (default 2)")
        int tier = 2;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("runtime", runtime);
            body.put("tier", tier);
            return print(target.client().post("/workspaces", body));
        }
    }

    @Command(name = "restart", description = "Restart a workspace.")
    static final class Restart implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", description = "workspace id")
        String id = "";

        @Override
        public Integer call() {
            return print(target.client().post("/workspaces/" + id + "/restart", Map.of()));
        }
    }

    @Command(name = "delete", description = "Remove a workspace and stop its agent.")
    static final class Delete implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", description = "workspace id")
        String id = "";

        @Override
        public Integer call() {
            return print(target.client().delete("/workspaces/" + id));
        }
    }
}
