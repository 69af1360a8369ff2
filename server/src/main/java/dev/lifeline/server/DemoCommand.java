package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lifeline demo}: the self-healing loop in under a minute. Starts a server, creates echo
 * workspaces, talks to them, SIGKILLs one agent, and shows the 503 and the events until it is back.
 * The dashboard then stays open on the demo's workspaces until Ctrl-C, which removes them and stops
 * the server (so does any other exit of the JVM).
 */
@Command(name = "demo", description = "Show the self-healing loop: create agents, kill one, watch it come back.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Option(names = "--agents", description = "how many echo workspaces (default 3)")
    int agents = 3;

    @Option(
            names = "--no-wait",
            description = "remove the workspaces and exit when the demo is done, instead of keeping the dashboard open")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        if (System.getenv("LIFELINE_LOG_LEVEL") == null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dataDir = Files.createTempDirectory("lifeline-demo");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIFELINE_PORT", "0");
        env.put("LIFELINE_DATA_DIR", dataDir.toString());
        env.put("LIFELINE_AGENT_HEARTBEAT_SECONDS", "5");
        env.remove("LIFELINE_DATABASE_USER");
        env.remove("LIFELINE_DATABASE_PASSWORD");
        // H2 must not close itself at JVM exit: the Ctrl-C hook still needs it to remove the workspaces.
        env.put("LIFELINE_DATABASE_URL", dev.lifeline.store.Stores.embeddedUrl(dataDir) + ";DB_CLOSE_ON_EXIT=FALSE");
        LifelineServer server = LifelineServer.start(LifelineConfig.from(env), env);
        ApiClient api = new ApiClient(server.baseUrl(), server.adminToken());
        CleanUp cleanUp = new CleanUp(server, api, dataDir);
        Thread onExit = Thread.ofPlatform().unstarted(cleanUp);
        Runtime.getRuntime().addShutdownHook(onExit);
        say("Lifeline is up at " + server.baseUrl() + " (data in " + dataDir + ")");
        say("Dashboard: " + server.baseUrl() + "/ — sign in with the admin token " + server.adminToken());
        healOnce(server, api);
        if (noWait) {
            Runtime.getRuntime().removeShutdownHook(onExit);
            cleanUp.run();
            return 0;
        }
        say("The dashboard stays open on the demo's workspaces at " + server.baseUrl() + "/ (admin token "
                + server.adminToken() + "). Press Ctrl-C to remove them and stop.");
        new java.util.concurrent.CountDownLatch(1).await(); // until Ctrl-C, whose shutdown hook cleans up
        return 0;
    }

    /** Creates the agents, talks to them, kills one and shows it coming back. */
    private void healOnce(LifelineServer server, ApiClient api) throws InterruptedException {
        Map<String, BlockingQueue<JsonNode>> events = new java.util.concurrent.ConcurrentHashMap<>();
        WebSocket socket = listen(server, events);
        List<String> ids = new ArrayList<>();
        long createdAt = System.nanoTime();
        for (int i = 1; i <= agents; i++) {
            JsonNode ws = api.post("/workspaces", Map.of("name", "echo-" + i, "runtime", "echo"))
                    .json();
            ids.add(ws.get("id").asText());
            say("created workspace echo-" + i + " " + ws.get("id").asText() + " ("
                    + ws.get("status").asText() + ")");
        }
        for (String id : ids) {
            awaitEvent(events, id, "WORKSPACE_ONLINE", createdAt);
        }
        for (String id : ids) {
            say("A2A SendMessage → " + id.substring(0, 8) + ": " + echo(api, id, "hello"));
        }
        String victim = ids.get(0);
        long pid =
                pid(api.get("/workspaces/" + victim).json().get("instance_ref").asText());
        say("SIGKILL agent process " + pid + " of workspace " + victim.substring(0, 8));
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(agent -> {
            agent.destroyForcibly();
            agent.onExit().join();
        });
        ApiClient.Reply reply = api.post("/workspaces/" + victim + "/a2a", message("are you there?"));
        say("next call answered " + reply.status() + " Retry-After: " + reply.header("Retry-After") + " "
                + reply.body());
        awaitEvent(events, victim, "WORKSPACE_ONLINE", killedAt);
        say("A2A SendMessage → " + victim.substring(0, 8) + ": " + echo(api, victim, "welcome back"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "demo done").join();
    }

    /** Removes every workspace of the demo's server, stops it and deletes its data; runs once, on any exit. */
    private static final class CleanUp implements Runnable {
        private final LifelineServer server;
        private final ApiClient api;
        private final Path dataDir;
        private final AtomicBoolean done = new AtomicBoolean();

        CleanUp(LifelineServer server, ApiClient api, Path dataDir) {
            this.server = server;
            this.api = api;
            this.dataDir = dataDir;
        }

        @Override
        public void run() {
            if (done.getAndSet(true)) {
                return;
            }
            try {
                for (JsonNode w : api.get("/workspaces").json()) {
                    api.delete("/workspaces/" + w.get("id").asText() + "?confirm=true");
                }
                say("removed the demo workspaces; done.");
            } catch (RuntimeException e) {
                System.err.println("could not remove the demo workspaces: " + e.getMessage());
            } finally {
                server.close();
                deleteTree(dataDir);
            }
        }

        private static void deleteTree(Path root) {
            try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                System.err.println("could not delete " + root + ": " + e.getMessage());
            }
        }
    }

    private static WebSocket listen(LifelineServer server, Map<String, BlockingQueue<JsonNode>> events) {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=" + server.adminToken());
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public @org.jspecify.annotations.Nullable CompletionStage<?> onText(
                            WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonNode e =
                                    Json.object(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
                            queueOf(events, e.path("workspace_id").asText()).add(e);
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                })
                .join();
    }

    private static BlockingQueue<JsonNode> queueOf(Map<String, BlockingQueue<JsonNode>> events, String id) {
        return events.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
    }

    /** Prints lifecycle events of {@code id} until {@code type} arrives; heartbeats are not shown. */
    private static void awaitEvent(Map<String, BlockingQueue<JsonNode>> events, String id, String type, long since)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = queueOf(events, id).poll(1, TimeUnit.SECONDS);
            if (e == null) {
                continue;
            }
            String name = e.path("event").asText();
            if (!name.equals("WORKSPACE_HEARTBEAT")) {
                say(String.format(
                        "  event %-26s %s  +%d ms %s",
                        name, id.substring(0, 8), (System.nanoTime() - since) / 1_000_000, brief(e.path("payload"))));
            }
            if (name.equals(type)) {
                return;
            }
        }
        throw new IllegalStateException("no " + type + " for " + id + " within " + WAIT.toSeconds() + " s");
    }

    /** The payload without the (long) agent card. */
    private static String brief(JsonNode payload) {
        if (payload instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has("agent_card")) {
            o.put("agent_card", "{…}");
        }
        return payload.toString();
    }

    private static String echo(ApiClient api, String id, String text) {
        ApiClient.Reply r = api.post("/workspaces/" + id + "/a2a", message(text));
        JsonNode parts = r.json().path("result").path("message").path("parts");
        if (parts.isMissingNode() || parts.isEmpty()) {
            parts = r.json().path("result").path("parts");
        }
        return r.status() + " "
                + (parts.isEmpty() ? r.body() : parts.get(0).path("text").asText());
    }

    static Map<String, Object> message(String text) {
        return Map.of(
                "method",
                "SendMessage",
                "params",
                Map.of("message", Map.of("role", "ROLE_USER", "parts", List.of(Map.of("text", text)))));
    }

    static long pid(String instanceRef) {
        return Long.parseLong(instanceRef.split("@", 2)[0].replaceAll("\\D", ""));
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
