package dev.lifeline.server;

import dev.lifeline.backend.controlplane.ControlPlaneConfig;
import dev.lifeline.backend.controlplane.ControlPlaneProvisioner;
import dev.lifeline.backend.docker.DockerProvisioner;
import dev.lifeline.backend.process.ProcessBackendConfig;
import dev.lifeline.backend.process.ProcessHost;
import dev.lifeline.backend.process.ProcessProvisioner;
import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.CallQueue;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.CoalescedHeartbeats;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.Lifecycle;
import dev.lifeline.core.NotifyingStore;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.RowCache;
import dev.lifeline.proxy.A2aProxy;
import dev.lifeline.proxy.AgentLoad;
import dev.lifeline.proxy.HostResolver;
import dev.lifeline.proxy.ProxyConfig;
import dev.lifeline.proxy.QueueDrainer;
import dev.lifeline.proxy.UrlPolicy;
import dev.lifeline.server.edge.Edge;
import dev.lifeline.server.edge.EdgeRoute;
import dev.lifeline.server.edge.EdgeSettings;
import dev.lifeline.store.Stores;
import dev.lifeline.supervisor.AgentRegistry;
import dev.lifeline.supervisor.Backends;
import dev.lifeline.supervisor.HealthLoops;
import dev.lifeline.supervisor.HibernationMonitor;
import dev.lifeline.supervisor.LoopScheduler;
import dev.lifeline.supervisor.PeriodicWork;
import dev.lifeline.supervisor.Reconciler;
import dev.lifeline.supervisor.RestartCoordinator;
import dev.lifeline.supervisor.Retention;
import dev.lifeline.supervisor.Supervisor;
import dev.lifeline.supervisor.SupervisorConfig;
import dev.lifeline.supervisor.WorkspaceService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only place that chooses concrete classes and wires them together.
 * Everything it starts, {@link #close} stops, in reverse order.
 */
public final class LifelineServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifelineServer.class);
    /** How often idle workspaces are looked for; thresholds are whole minutes. */
    private static final Duration HIBERNATION_CHECK = Duration.ofMinutes(1);

    private static final Duration RETENTION_CHECK = Duration.ofMinutes(10);
    /** Pending connections the kernel may hold for Jetty (capped by net.core.somaxconn). */
    private static final int ACCEPT_QUEUE = 8192;
    /** Where Jetty listens behind the edge. */
    private static final InetAddress LOOPBACK = loopback();
    /** Events each subscriber may fall behind by before it loses some (activity arrives in batches). */
    private static final int EVENT_BUFFER = 2048;
    /** How long a dashboard sign-in lasts. */
    private static final Duration SESSION_LIFETIME = Duration.ofHours(12);

    private final LifelineConfig config;
    private final AutoCloseable storeHandle;
    /** How long a heartbeat may wait in memory before it is written with the others. */
    private static final Duration HEARTBEAT_FLUSH = Duration.ofSeconds(1);

    private final CoalescedHeartbeats heartbeats;
    private final List<AutoCloseable> ownBackends = new java.util.ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final HealthLoops loops;
    private final PeriodicWork work;
    private final ScheduledExecutorService retentionThread;
    /** The busy queue's loop: delivers queued calls, takes back those of dead drainers, fails stale ones. */
    private final ScheduledExecutorService queueDrainLoop;
    /** How long closing waits for a retention batch under way before the store closes. */
    private static final Duration RETENTION_STOP = Duration.ofSeconds(10);

    private final Javalin app;
    private final A2aProxy proxy;
    /** Where the edge's routes do their blocking work (the store, the backend). */
    private final ExecutorService edgeWork;

    private final String adminToken;
    private final int port;
    /** Bound before the constructor runs; the edge on it opens once Jetty listens behind it. */
    private final PublicPort publicPort;
    /** The routes the edge serves on its event loops; every other request is relayed to Javalin. */
    private final List<EdgeRoute> edgeRoutes;
    /** The pages that may read Lifeline's answers, the edge's own errors included. */
    private final CorsOrigins corsOrigins;

    private LifelineServer(
            LifelineConfig config,
            Map<String, String> env,
            List<Provisioner> extraBackends,
            List<EdgeRoute> extraRoutes,
            PublicPort publicPort) {
        this.config = config;
        this.publicPort = publicPort;
        this.corsOrigins = CorsOrigins.from(env);
        Clock clock = Clock.systemUTC();
        this.port = publicPort.number();
        DataDirectory.prepare(config.dataDir());
        String platformUrl = config.platformUrl()
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElse("http://127.0.0.1:" + port);
        String databaseUrl = config.databaseUrl().orElse(Stores.embeddedUrl(config.dataDir()));
        var database = Stores.open(
                databaseUrl,
                config.databaseUser().orElse(null),
                config.databasePassword().orElse(null));
        this.storeHandle = database;
        DataDirectory.restrictEmbeddedDatabase(config.dataDir());
        this.heartbeats = new CoalescedHeartbeats(database);
        NotifyingStore store = new NotifyingStore(heartbeats);
        this.adminToken = Secrets.adminToken(config.adminToken(), config.dataDir());
        EventBus local = new LocalEventBus(EVENT_BUFFER);
        ClusterChannel channel = database.channel();
        EventBus bus = channel.shared() ? new ClusterEventBus(local, channel) : local;
        Lifecycle lifecycle = new Lifecycle(store, bus);
        String serverId = Secrets.serverId(config.dataDir());
        Provisioner process = new ProcessProvisioner(new ProcessBackendConfig(
                config.dataDir(), serverId, Runtimes.from(env), config.stopGrace(), AgentEnvPolicy.hostBasics(env)));
        List<Provisioner> all = new java.util.ArrayList<>(List.of(process));
        if (DockerSettings.enabled(config, env)) {
            // Labelled with the fleet's id: every replica watches, adopts and reaps the fleet's containers.
            DockerProvisioner docker =
                    new DockerProvisioner(DockerSettings.from(env, database.fleetId(serverId), config.bind()));
            ownBackends.add(docker);
            all.add(docker);
        }
        config.controlPlane().ifPresent(cp -> all.add(controlPlane(cp, config, serverId)));
        all.addAll(extraBackends);
        Backends backends = new Backends(ProcessHost.id(), all);
        Metrics metrics = new Metrics();
        SupervisorConfig supervision = new SupervisorConfig(
                config.sweepInterval(),
                config.heartbeatTtl(),
                new dev.lifeline.core.BackoffPolicy(config.restartBackoff(), Duration.ofMinutes(5), 0.2),
                Duration.ofMinutes(10),
                config.restartHealthyRun(),
                config.crashLoopRestarts(),
                config.maxConcurrentStarts(),
                config.provisionTimeout(),
                Runtimes.provisionTimeouts(env),
                platformUrl,
                AgentEnvSettings.forEveryAgent(env, config.agentHeartbeat()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("lifeline-scheduler").factory());
        Executor starts = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("lifeline-start-", 0).factory());
        RestartCoordinator restarts = new RestartCoordinator(
                lifecycle,
                backends,
                supervision,
                clock,
                starts,
                scheduler,
                () -> ThreadLocalRandom.current().nextDouble(),
                metrics);
        Supervisor supervisor = new Supervisor(lifecycle, backends, restarts, metrics, clock);
        WorkspaceService workspaces = new WorkspaceService(lifecycle, backends, restarts, clock);
        RowCache heartbeatRows = AgentRegistry.heartbeatRows(System::nanoTime);
        store.onStateChange(heartbeatRows::forget);
        AgentRegistry registry = new AgentRegistry(lifecycle, clock, heartbeatRows);
        ProxyConfig proxyConfig = ProxyConfig.DEFAULTS
                .withIdleTimeout(config.a2aIdleTimeout())
                .withKeepAlive(config.streamKeepAlive())
                .withHolds(config.a2aHolds());
        CallQueue callQueue = database.callQueue();
        AgentLoad agentLoad = new AgentLoad(clock, config.a2aQueue().busyPause());
        this.proxy = new A2aProxy(
                store,
                supervisor,
                restarts,
                bus,
                proxyConfig,
                metrics,
                clock,
                callQueue,
                agentLoad,
                RowCacheTtl.from(env));
        A2aProxy proxy = this.proxy;
        QueueDrainer drainer = new QueueDrainer(
                callQueue,
                proxy,
                agentLoad,
                lifecycle,
                config.a2aQueue(),
                clock,
                Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("a2a-queue-delivery-", 0).factory()));
        store.onChange(proxy::forget);
        TokenGrants grants = new TokenGrants(store, System::nanoTime);
        store.onTokensChange(grants::forget);
        channel.listen(new RemoteArrivals(
                local,
                id -> {
                    proxy.forget(id);
                    heartbeatRows.forget(id);
                },
                () -> {
                    proxy.forgetAll();
                    heartbeatRows.forgetAll();
                },
                grants));
        BrowserSessions sessions = new BrowserSessions(new SessionTokens(
                SessionTokens.serverKey(Secrets.sessionSecret(config.dataDir()), adminToken), clock, SESSION_LIFETIME));
        Auth auth = new Auth(adminToken, grants, sessions);
        this.loops = new HealthLoops(lifecycle, backends, supervisor, restarts, supervision, clock);
        UrlPolicy agentUrls =
                new UrlPolicy(config.agentUrlsMayBeLoopback(), config.agentUrlsMayBePrivate(), HostResolver.SYSTEM);
        RegistryRoutes registryRoutes = new RegistryRoutes(
                registry,
                workspaces,
                auth,
                proxy.idleOverrides(),
                new UrlPolicy(config.agentUrlsMayBeLoopback(), config.agentUrlsMayBePrivate(), HostResolver.SYSTEM),
                platformUrl,
                drainer);
        // the routes the edge serves on its event loops, in the order it asks them; their store work
        // runs on virtual threads, and every request they do not take reaches Javalin (A2aEndpoint for A2A)
        this.edgeWork = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("edge-work-", 0).factory());
        List<EdgeRoute> routes = new java.util.ArrayList<>(extraRoutes);
        routes.add(new A2aLane(
                proxy.fastLane(edgeWork), auth, proxyConfig, edgeWork, io.netty.channel.Channel::eventLoop));
        routes.add(new HeartbeatRoute(registryRoutes, edgeWork, proxyConfig.maxRequestBytes()));
        EventRoutes events = new EventRoutes(bus, store, workspaces, auth, metrics, clock);
        routes.add(events.wsOnTheEdge());
        this.edgeRoutes = List.copyOf(routes);
        this.app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = proxyConfig.maxRequestBytes();
            c.jetty.addConnector((server, http) -> connector(server, http, config, publicPort));
            c.startup.showJavalinBanner = false;
            ApiErrors.install(c);
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(corsOrigins)));
            c.jetty.modifyServletContextHandler(context -> {
                NoSessions.install(context);
                context.setErrorHandler(new JsonErrorHandler(corsOrigins));
            });
            c.routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4")
                    .result(metrics.scrape(store.list(), callQueue.depths())));
            new WorkspaceRoutes(workspaces, store, backends, auth, config.backend(), agentUrls, platformUrl, callQueue)
                    .install(c);
            registryRoutes.install(c);
            new QueueRoutes(callQueue, workspaces, auth, clock).install(c);
            new CanvasRoutes(store, auth, clock).install(c);
            new AgentCardRoutes(workspaces, auth, platformUrl, config.agentCardsPublic()).install(c);
            new DashboardRoutes(auth, sessions).install(c);
            // in front of Javalin, which attaches its own handler inside this one
            c.jetty.modifyServer(server -> server.setHandler(new Cors(
                    corsOrigins,
                    new BodySizeLimit(proxyConfig.maxRequestBytes(), new A2aEndpoint(proxy, auth, proxyConfig)))));
            events.install(c);
        });
        new Reconciler(lifecycle, backends, restarts, supervisor, clock).reconcile();
        loops.watchDeaths();
        // Each on a thread of its own: a backlog of deletes or a slow drain must not delay the health loops.
        this.retentionThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("lifeline-retention").factory());
        HibernationMonitor hibernation = new HibernationMonitor(store, workspaces, clock);
        Retention retention = new Retention(
                store, config.retention(), clock, callQueue, config.a2aQueue().keep());
        this.queueDrainLoop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("a2a-queue-drain").factory());
        this.work = loops.register(new PeriodicWork(
                        LoopScheduler.on(scheduler),
                        Stores.loopLeases(
                                databaseUrl,
                                config.databaseUser().orElse(null),
                                config.databasePassword().orElse(null)),
                        metrics))
                .replica("heartbeat flush", HEARTBEAT_FLUSH, heartbeats::flush)
                .fleet("hibernation", HIBERNATION_CHECK, hibernation::hibernateIdle)
                .fleet("retention", RETENTION_CHECK, retention::prune, LoopScheduler.on(retentionThread))
                .replica(
                        "a2a queue drain",
                        config.a2aQueue().drainEvery(),
                        drainer::round,
                        LoopScheduler.on(queueDrainLoop));
        work.start();
    }

    /** Builds and starts a server; the returned server is listening. */
    public static LifelineServer start(LifelineConfig config, Map<String, String> env) {
        return start(config, env, List.of());
    }

    /** Starts a server that also runs workspaces on {@code extraBackends} (by their names). */
    public static LifelineServer start(
            LifelineConfig config, Map<String, String> env, List<Provisioner> extraBackends) {
        return start(config, env, extraBackends, List.of());
    }

    /** Starts a server whose edge also serves {@code extraRoutes}, before its own. */
    static LifelineServer start(
            LifelineConfig config,
            Map<String, String> env,
            List<Provisioner> extraBackends,
            List<EdgeRoute> extraRoutes) {
        PublicPort publicPort = PublicPort.bind(config.frontDoor(), edgeSettings(config));
        LifelineServer server;
        try {
            server = new LifelineServer(config, env, extraBackends, extraRoutes, publicPort);
        } catch (RuntimeException e) {
            publicPort.close();
            throw e;
        }
        try {
            server.app.start();
            server.openEdge();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("Lifeline listening on http://{}:{} (data in {})", config.bind(), server.port, config.dataDir());
        return server;
    }

    /**
     * Jetty accepts on the public port on {@code LIFELINE_EDGE=jetty}; behind the edge, on an
     * ephemeral loopback port, reading the caller's address from the edge's PROXY protocol header.
     */
    private static Connector connector(
            Server server, HttpConfiguration http, LifelineConfig config, PublicPort publicPort) {
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        ServerSocketChannel publicChannel = publicPort.jetty();
        ServerConnector connector = publicChannel == null
                ? new ServerConnector(server, new ProxyConnectionFactory(http11.getProtocol()), http11)
                : new ServerConnector(server, http11);
        if (publicChannel == null) {
            connector.setHost(LOOPBACK.getHostAddress());
            connector.setPort(0);
            // A burst of thousands of connections must wait in the kernel, not be dropped there:
            // the JDK's default backlog of 50 overflows and clients retry after seconds.
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
        } else {
            try {
                connector.open(publicChannel);
            } catch (IOException e) {
                throw new UncheckedIOException("Jetty cannot take the public port", e);
            }
        }
        connector.setIdleTimeout(config.requestIdleTimeout().toMillis());
        return connector;
    }

    /** How the public port is bound; on the Jetty front door only the address and backlog count. */
    private static EdgeSettings edgeSettings(LifelineConfig config) {
        return new EdgeSettings(
                config.bind(),
                config.port(),
                ACCEPT_QUEUE,
                config.requestIdleTimeout(),
                config.edgeThreads(),
                ProxyConfig.DEFAULTS.maxRequestBytes());
    }

    /** Opens the edge on the public port, in front of the Jetty that has just started. */
    private void openEdge() {
        Edge edge = publicPort.edge();
        if (edge == null) {
            return;
        }
        int jettyPort = ((ServerConnector) jetty().getConnectors()[0]).getLocalPort();
        edge.open(
                edgeRoutes,
                new InetSocketAddress(LOOPBACK, jettyPort),
                status -> Json.write(ApiErrors.stackAnswer(status).body()).getBytes(StandardCharsets.UTF_8),
                origin -> Cors.ownAnswerHeaders(corsOrigins, origin));
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String adminToken() {
        return adminToken;
    }

    public LifelineConfig config() {
        return config;
    }

    /** The embedded Jetty server, for tests that look at what it holds. */
    Server jetty() {
        return app.jettyServer().server();
    }

    /** Stops serving and watching; the agents keep running and are adopted by the next start. */
    @Override
    public void close() {
        loops.stopWatching();
        work.stop();
        retentionThread.shutdown(); // a batch under way finishes before the store closes below
        queueDrainLoop.shutdown(); // not interrupted: an interrupt inside a database write can close H2's file
        Edge front = publicPort.edge();
        if (front != null) {
            front.close();
        }
        app.stop();
        publicPort.close(); // the Jetty door's channel too, had Jetty not started on it
        edgeWork.shutdown();
        proxy.close();
        scheduler.shutdownNow();
        for (AutoCloseable backend : ownBackends) {
            try {
                backend.close();
            } catch (Exception e) {
                log.warn("closing a backend failed", e);
            }
        }
        awaitRetention();
        try {
            heartbeats.flush();
            storeHandle.close();
        } catch (Exception e) {
            log.warn("closing the store failed", e);
        }
    }

    /** Waits for a retention batch under way (one bounded statement); past the bound it is interrupted. */
    private void awaitRetention() {
        try {
            if (!retentionThread.awaitTermination(RETENTION_STOP.toSeconds(), TimeUnit.SECONDS)) {
                retentionThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            retentionThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Provisioner controlPlane(ControlPlaneSettings cp, LifelineConfig config, String serverId) {
        return new ControlPlaneProvisioner(new ControlPlaneConfig(
                cp.url(),
                cp.orgId(),
                cp.sharedSecret(),
                cp.tenantToken(),
                cp.adminApiKey(),
                config.dataDir().resolve("controlplane").resolve("instances"),
                serverId,
                cp.provisionTimeout(),
                cp.callTimeout(),
                cp.probeConcurrency()));
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 is a valid address", e);
        }
    }
}
