package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reference agent: a real A2A JSON-RPC server that echoes text, injects faults on request, and
 * registers and heartbeats with a Lifeline platform.
 *
 * <p>Run it as a process ({@link #main}) or in-process ({@link #start}); an in-process agent asked
 * to exit stops serving instead of ending the JVM.
 */
public final class ReferenceAgent implements AutoCloseable {

    private static final Duration EXIT_DELAY = Duration.ofMillis(100);
    private static final int TASKS_KEPT = 1_000;
    private static final int BACKLOG = 128;
    private static final ProcessExit HALT = status -> {
        System.out.flush();
        Runtime.getRuntime().halt(status);
    };

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService scheduler;
    private final URI url;
    private final AgentLog log;
    private final ProcessExit processExit;
    private final List<AutoCloseable> links = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ReferenceAgent(HttpServer server, URI url, AgentLog log, ProcessExit processExit) {
        this.server = server;
        this.handlers = Executors.newVirtualThreadPerTaskExecutor();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("lifeline-agent-scheduler").factory());
        this.url = url;
        this.log = log;
        this.processExit = processExit;
    }

    /**
     * Starts an agent in this JVM, logging to standard output; it is serving when this returns.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static ReferenceAgent start(AgentConfig config) {
        return start(config, ProcessExit.NONE, System.out);
    }

    static ReferenceAgent start(AgentConfig config, ProcessExit processExit, PrintStream out) {
        InstantSource clock = InstantSource.system();
        AgentLog log = new AgentLog(out, clock, config.workspaceId());
        HttpServer server = bind(config);
        URI url = URI.create(
                "http://" + urlHost(config.host()) + ":" + server.getAddress().getPort());
        ReferenceAgent agent = new ReferenceAgent(server, url, log, processExit);
        Json json = new Json();
        RequestStats stats = new RequestStats(clock);
        TaskStore tasks = new TaskStore(TASKS_KEPT);
        JsonNode card = AgentCard.current(config.agentName(), url);
        var cardResource = new CardResource(card, AgentCard.legacy(config.agentName(), url), clock.instant(), json);
        Runnable exitRequested = () -> agent.terminateLater("exit requested by !exit", EXIT_DELAY);
        Silence silence = new Silence();
        var effects = new A2aEndpoint.Effects(new EchoStream(tasks, clock), agent.handlers, exitRequested, silence);
        A2aEndpoint a2a = new A2aEndpoint(json, tasks, new TaskMethods(tasks, clock), effects, stats, log);
        server.createContext("/", new AgentRoutes(cardResource, a2a, json, log));
        server.setExecutor(agent.handlers);
        server.start();
        log.info("started name=" + config.agentName() + " url=" + url + " platform=" + describe(config.platform()));
        if (config.platform() instanceof AgentConfig.Registry registry) {
            agent.link(
                    registry, new PlatformLink.Identity(config.workspaceId(), url, card), stats, clock, json, silence);
        }
        return agent;
    }

    private void link(
            AgentConfig.Registry registry,
            PlatformLink.Identity identity,
            RequestStats stats,
            InstantSource clock,
            Json json,
            Silence silence) {
        PlatformLink link = new PlatformLink(
                new PlatformClient(registry.url(), registry.authToken(), json),
                scheduler,
                identity,
                registry.heartbeatInterval(),
                Backoff.REGISTRATION,
                stats,
                clock,
                json,
                log,
                reason -> terminateLater(reason, Duration.ZERO),
                silence);
        links.add(link);
        link.start();
    }

    /** The URL the agent advertises in its card and registers, e.g. {@code http://127.0.0.1:8123}. */
    public URI url() {
        return url;
    }

    /** The port the agent listens on (the bound one when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving, registering and heartbeating; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable link : links) {
            try {
                link.close();
            } catch (Exception e) {
                log.info("closing the platform link failed: " + e.getClass().getSimpleName());
            }
        }
        server.stop(0);
        handlers.shutdownNow();
        scheduler.shutdownNow();
        log.info("stopped");
    }

    /** Ends the agent after {@code delay}, on its own thread so that no executor it stops is running it. */
    private void terminateLater(String reason, Duration delay) {
        Thread.ofVirtual().name("lifeline-agent-exit").start(() -> {
            if (!delay.isZero() && !EchoStream.pause(delay)) {
                return;
            }
            log.info("exiting with status 1: " + reason);
            processExit.exit(1); // a process halts here; an in-process agent stops serving below
            close();
        });
    }

    /**
     * Runs the agent as a process; configuration comes from the environment and {@code --port N}.
     * Exits with status 2 on a configuration error and 1 when the port cannot be bound.
     */
    public static void main(String[] args) {
        AgentConfig config;
        try {
            config = AgentConfig.fromCommandLine(List.of(args), System.getenv());
        } catch (InvalidAgentConfigException e) {
            System.err.println("lifeline-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            ReferenceAgent agent = start(config, HALT, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "lifeline-agent-shutdown"));
        } catch (UncheckedIOException e) {
            System.err.println("lifeline-agent: " + e.getMessage());
            System.exit(1);
        }
    }

    private static HttpServer bind(AgentConfig config) {
        try {
            return HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (UnresolvedAddressException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + config.bindAddress() + ":" + config.port() + ": unknown address",
                    new IOException(e));
        }
    }

    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String describe(AgentConfig.Platform platform) {
        if (!(platform instanceof AgentConfig.Registry registry)) {
            return "none (standalone)";
        }
        String url = registry.url().toString();
        String userInfo = registry.url().getRawUserInfo();
        return userInfo == null ? url : url.replace(userInfo + "@", "<redacted>@");
    }
}
