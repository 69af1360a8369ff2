package dev.lifeline.testkit.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An in-process control plane on a free loopback port that implements the contract Lifeline's
 * control-plane backend speaks:
 *
 * <ul>
 *   <li>{@code POST /cp/workspaces/provision}: boots a machine, answers {@code 201 {instance_id,
 *       private_ip, state}};
 *   <li>{@code DELETE /cp/workspaces/{id}?instance_id=}: terminates it ({@code 404} if it is not
 *       that workspace's instance);
 *   <li>{@code GET /cp/workspaces/{id}/status?instance_id=}: {@code {state}} ({@code 404} likewise);
 *   <li>{@code GET /cp/admin/workspaces/{id}/console}: {@code {output}} of its latest instance.
 * </ul>
 *
 * <p>Each instance moves {@code pending → running → terminated}: it is {@code pending} until its
 * machine has booted (or for as long as {@link #holdPending} says), {@code terminated} once deleted
 * or once its machine stopped by itself. Like the reference contract, the provision answer carries
 * no agent URL: the agent on the machine registers its own. Every request is recorded, and every
 * route can be told to fail.
 */
public final class FakeControlPlane implements AutoCloseable {
    /** The routes of the contract, for failing one of them. */
    public enum Route {
        PROVISION,
        TERMINATE,
        STATUS,
        CONSOLE
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANCE_PATH = Pattern.compile("/cp/workspaces/([^/]+)(/status)?");
    private static final Pattern CONSOLE_PATH = Pattern.compile("/cp/admin/workspaces/([^/]+)/console");
    private static final int PADDING = 128 * 1024;

    private final HttpServer server;
    private final Machines machines;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ProvisionRequest> provisions = new CopyOnWriteArrayList<>();
    private final Map<String, FakeInstance> instances = new ConcurrentHashMap<>();
    private final Map<Route, Failure> failures = new ConcurrentHashMap<>();
    private volatile CountDownLatch hung = new CountDownLatch(1);
    private volatile boolean holdPending;
    private volatile @Nullable Map<String, String> requiredHeaders;

    private FakeControlPlane(Machines machines) throws IOException {
        this.machines = machines;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A control plane whose machines are {@code machines}. */
    public static FakeControlPlane start(Machines machines) {
        try {
            return new FakeControlPlane(machines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake control plane", e);
        }
    }

    /** A control plane whose machines run nothing. */
    public static FakeControlPlane withIdleMachines() {
        return start(Machines.idle());
    }

    /** The base URL to configure the backend with. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every route answers with {@code failure}. */
    public void fail(Failure failure) {
        for (Route route : Route.values()) {
            failures.put(route, failure);
        }
    }

    /** From now on {@code route} answers with {@code failure}. */
    public void fail(Route route, Failure failure) {
        failures.put(route, failure);
    }

    /** Answers correctly again, and lets every hung request go. */
    public void heal() {
        failures.clear();
        hung.countDown();
        hung = new CountDownLatch(1);
    }

    /** Whether new instances stay {@code pending} after their machine has booted. */
    public void holdPending(boolean hold) {
        this.holdPending = hold;
        if (!hold) {
            instances.values().forEach(FakeInstance::booted);
        }
    }

    /**
     * Requires these exact headers on the provision routes ({@code provision}) and on the admin
     * routes ({@code admin}); a request without them gets a 401. Header names are case-insensitive.
     */
    public void requireHeaders(Map<String, String> provision, Map<String, String> admin) {
        Map<String, String> all = new HashMap<>();
        provision.forEach((k, v) -> all.put("provision:" + k.toLowerCase(Locale.ROOT), v));
        admin.forEach((k, v) -> all.put("admin:" + k.toLowerCase(Locale.ROOT), v));
        this.requiredHeaders = all;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests received on {@code route}, oldest first. */
    public List<RecordedRequest> requests(Route route) {
        return requests.stream().filter(r -> routeOf(r) == route).toList();
    }

    /** Every provision body received, oldest first, whether or not it succeeded. */
    public List<ProvisionRequest> provisions() {
        return List.copyOf(provisions);
    }

    /** The state of instance {@code instanceId}, if it exists. */
    public Optional<String> state(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId)).map(FakeInstance::state);
    }

    /** The ids of every instance ever provisioned for {@code workspaceId}, oldest first. */
    public List<String> instancesOf(String workspaceId) {
        return instances.values().stream()
                .filter(i -> i.workspaceId().equals(workspaceId))
                .sorted(java.util.Comparator.comparingLong(FakeInstance::serial))
                .map(FakeInstance::id)
                .toList();
    }

    /** Terminates an instance behind the back of its user, as a cloud reclaiming a VM does. */
    public void terminateBehindTheBack(String instanceId) {
        instance(instanceId).terminate();
    }

    /** Forces the reported state of an instance, for any state the cloud may report. */
    public void setState(String instanceId, String state) {
        instance(instanceId).force(state);
    }

    private FakeInstance instance(String instanceId) {
        FakeInstance instance = instances.get(instanceId);
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + instanceId);
        }
        return instance;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            RecordedRequest request = RecordedRequest.of(exchange);
            requests.add(request);
            Route route = routeOf(request);
            if (route == null) {
                send(exchange, 404, "{\"error\":\"no such route\"}", "application/json");
                return;
            }
            Failure failure = failures.get(route);
            if (failure == Failure.HANG) {
                hang();
                return;
            }
            if (failure != null && failure != Failure.PADDED_JSON) {
                sendFailure(exchange, route, failure);
                return;
            }
            if (!authorised(route, request)) {
                send(exchange, 401, "{\"error\":\"unauthorized\"}", "application/json");
                return;
            }
            Answer answer = answer(route, request);
            String body = failure == Failure.PADDED_JSON ? answer.json() + " ".repeat(PADDING) : answer.json();
            send(exchange, answer.status(), body, "application/json");
        }
    }

    private void hang() {
        try {
            hung.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorised(Route route, RecordedRequest request) {
        Map<String, String> required = requiredHeaders;
        if (required == null) {
            return true;
        }
        String prefix = route == Route.CONSOLE ? "admin:" : "provision:";
        return required.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .allMatch(e -> request.header(e.getKey().substring(prefix.length()))
                        .filter(e.getValue()::equals)
                        .isPresent());
    }

    private record Answer(int status, String json) {}

    private Answer answer(Route route, RecordedRequest request) throws IOException {
        return switch (route) {
            case PROVISION -> provision(request);
            case TERMINATE -> terminate(request);
            case STATUS -> status(request);
            case CONSOLE -> console(request);
        };
    }

    private Answer provision(RecordedRequest request) throws IOException {
        ProvisionRequest body = ProvisionRequest.parse(request.body());
        provisions.add(body);
        String id = "i-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextLong())
                        .substring(0, 15) + Integer.toHexString(instances.size() & 0xff);
        Machines.Machine machine;
        try {
            machine = machines.boot(id, body);
        } catch (Exception e) {
            return new Answer(500, "{\"error\":\"the machine did not boot\"}");
        }
        FakeInstance instance = new FakeInstance(id, body.workspaceId(), machine, instances.size());
        instances.put(id, instance);
        if (!holdPending) {
            instance.booted();
        }
        return new Answer(
                201,
                JSON.createObjectNode()
                        .put("instance_id", id)
                        .put("private_ip", "127.0.0.1")
                        .put("state", "pending")
                        .toString());
    }

    private Answer terminate(RecordedRequest request) {
        Optional<FakeInstance> instance = addressed(request);
        if (instance.isEmpty()) {
            return new Answer(404, "{\"error\":\"no such instance\"}");
        }
        instance.get().terminate();
        return new Answer(200, "{\"state\":\"terminated\"}");
    }

    private Answer status(RecordedRequest request) {
        return addressed(request)
                .map(i -> new Answer(
                        200,
                        JSON.createObjectNode()
                                .put("instance_id", i.id())
                                .put("state", i.state())
                                .toString()))
                .orElseGet(() -> new Answer(404, "{\"error\":\"no such instance\"}"));
    }

    private Answer console(RecordedRequest request) {
        Matcher m = CONSOLE_PATH.matcher(request.path());
        String workspaceId = m.matches() ? m.group(1) : "";
        List<String> ids = instancesOf(workspaceId);
        if (ids.isEmpty()) {
            return new Answer(404, "{\"error\":\"no such workspace\"}");
        }
        String output = instance(ids.getLast()).machine().console();
        return new Answer(200, JSON.createObjectNode().put("output", output).toString());
    }

    /** The instance the request names, if it belongs to the workspace in its path. */
    private Optional<FakeInstance> addressed(RecordedRequest request) {
        Matcher m = INSTANCE_PATH.matcher(request.path());
        String workspaceId = m.matches() ? m.group(1) : "";
        return request.queryParameter("instance_id").map(instances::get).filter(i -> i.workspaceId()
                .equals(workspaceId));
    }

    private static @Nullable Route routeOf(RecordedRequest r) {
        if (r.method().equals("POST") && r.path().equals("/cp/workspaces/provision")) {
            return Route.PROVISION;
        }
        Matcher instance = INSTANCE_PATH.matcher(r.path());
        if (instance.matches() && !r.path().equals("/cp/workspaces/provision")) {
            boolean status = instance.group(2) != null;
            if (status && r.method().equals("GET")) {
                return Route.STATUS;
            }
            if (!status && r.method().equals("DELETE")) {
                return Route.TERMINATE;
            }
        }
        if (r.method().equals("GET") && CONSOLE_PATH.matcher(r.path()).matches()) {
            return Route.CONSOLE;
        }
        return null;
    }

    private static void sendFailure(HttpExchange exchange, Route route, Failure failure) throws IOException {
        if (failure == Failure.HTML_BODY) {
            int status = route == Route.PROVISION ? 201 : 200;
            send(
                    exchange,
                    status,
                    "<html><body>Welcome to nginx! " + Failure.BODY_MARKER + "</body></html>",
                    "text/html");
            return;
        }
        String claimsSuccess = JSON.createObjectNode()
                .put("state", "running")
                .put("instance_id", "i-claimed")
                .put("output", "claimed")
                .put("echo", "Authorization: Bearer " + Failure.BODY_MARKER)
                .toString();
        send(exchange, failure.status(), claimsSuccess, "application/json");
    }

    private static void send(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Kills every machine still alive and stops serving. */
    @Override
    public void close() {
        hung.countDown();
        server.stop(0);
        List<FakeInstance> all = new ArrayList<>(instances.values());
        all.forEach(FakeInstance::terminate);
        machines.close();
    }
}
