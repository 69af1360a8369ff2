package dev.lifeline.backend.controlplane;

import dev.lifeline.core.AgentEnvPolicy;
import dev.lifeline.core.BackendException;
import dev.lifeline.core.Instance;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.Provisioner;
import dev.lifeline.core.Redaction;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each workspace on a cloud VM by calling a remote control plane over HTTP.
 *
 * <p>The instance ref is the control plane's instance id; the agent's URL is not known at start
 * (the provision answer has none), so the agent registers it itself. The contract has no push and
 * no batch status call: deaths are found by probing, and {@link #probeAll} makes one status call per
 * instance, at most {@code probeConcurrency} at once. What this server provisioned is remembered in
 * its state directory, because the contract cannot list a tenant's instances either.
 */
public final class ControlPlaneProvisioner implements Provisioner {
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneProvisioner.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ControlPlaneConfig config;
    private final ControlPlaneApi api;
    private final InstanceLedger ledger;
    private final Map<WorkspaceId, Redaction> consoleSecrets = new ConcurrentHashMap<>();

    public ControlPlaneProvisioner(ControlPlaneConfig config) {
        this.config = config;
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.api = new ControlPlaneApi(config, new Exchange(http));
        this.ledger = new InstanceLedger(config.stateDir(), config.serverId());
    }

    @Override
    public String name() {
        return ControlPlaneApi.NAME;
    }

    @Override
    public Instance start(StartSpec spec) {
        Map<String, String> env = agentEnvironment(spec, config.serverId());
        InstanceRef ref = api.provision(spec, env);
        try {
            ledger.add(new OwnedInstance(spec.id(), spec.generation(), ref));
        } catch (IOException e) {
            stopQuietly(spec.id(), ref);
            throw new BackendException(name(), "cannot remember instance " + ref + " of workspace " + spec.id(), e);
        }
        consoleSecrets.put(spec.id(), Redaction.of(env));
        log.info("Provisioned workspace {} generation {} as instance {}", spec.id(), spec.generation(), ref);
        return new Instance(ref, null);
    }

    /** The provision call's bound (the control plane boots a VM meanwhile), and time to remember the instance. */
    @Override
    public Duration longestStart() {
        return config.provisionTimeout().plus(CONNECT_TIMEOUT);
    }

    /**
     * The agent's environment as the VM should see it, by {@link AgentEnvPolicy}: nothing of this
     * server's environment (the VM's image brings its own basics), the spec's variables (with the
     * workspace token), then the platform's own and this server's labels, which win every clash.
     */
    static Map<String, String> agentEnvironment(StartSpec spec, String serverId) {
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("WORKSPACE_ID", spec.id().toString());
        platform.put("PLATFORM_URL", spec.platformUrl());
        platform.put("MOLECULE_URL", spec.platformUrl());
        platform.put("TIER", Integer.toString(spec.tier()));
        platform.put("LIFELINE_SERVER_ID", serverId);
        platform.put("LIFELINE_WORKSPACE_ID", spec.id().toString());
        platform.put("LIFELINE_GENERATION", Long.toString(spec.generation()));
        return AgentEnvPolicy.layered(Map.of(), spec.env(), platform);
    }

    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        api.terminate(id, ref);
        try {
            ledger.remove(ref);
        } catch (UncheckedIOException e) {
            throw new BackendException(name(), "stopped instance " + ref + " but cannot forget it", e);
        }
        log.info("Stopped workspace {} (instance {})", id, ref);
    }

    private void stopQuietly(WorkspaceId id, InstanceRef ref) {
        try {
            api.terminate(id, ref);
        } catch (BackendException e) {
            log.error("instance {} of workspace {} is left running: {}", ref, id, e.getMessage());
        }
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        return api.status(id, ref);
    }

    /**
     * One status call per instance (the contract has no batch call), {@code probeConcurrency} at a
     * time on virtual threads, so a sweep of a large fleet takes fleet / concurrency round trips.
     */
    @Override
    public Map<WorkspaceId, Liveness> probeAll(Collection<OwnedInstance> instances) {
        Semaphore permits = new Semaphore(config.probeConcurrency());
        Map<WorkspaceId, Future<Liveness>> pending = new LinkedHashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (OwnedInstance instance : instances) {
                pending.put(instance.id(), threads.submit(() -> {
                    permits.acquire();
                    try {
                        return probe(instance.id(), instance.ref());
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        Map<WorkspaceId, Liveness> result = new LinkedHashMap<>();
        pending.forEach((id, answer) -> result.put(id, outcome(answer)));
        return result;
    }

    private static Liveness outcome(Future<Liveness> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Liveness.unknown("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Liveness.unknown("status call failed: "
                    + (cause == null ? e : cause).getClass().getSimpleName());
        }
    }

    /**
     * The instances this server provisioned and did not stop, from its ledger, without asking the
     * control plane: reconciliation adopts the ones that match a live row (the sweep then watches
     * them) and stops the rest, and a successful stop is what removes an instance from the ledger,
     * so one whose stop failed is tried again at every reconciliation.
     */
    @Override
    public List<OwnedInstance> listOwned() {
        try {
            return ledger.all();
        } catch (IOException e) {
            throw new BackendException(name(), "cannot read the instance ledger", e);
        }
    }

    /** The ledger is this server's own: the control plane has no call that lists a fleet's instances. */
    @Override
    public boolean listsPerServer() {
        return true;
    }

    /** The VM's console output with the control plane's credentials and the agent's secrets removed. */
    @Override
    public Optional<String> console(WorkspaceId id, InstanceRef ref) {
        Redaction scrubber = api.credentials().and(consoleSecrets.getOrDefault(id, Redaction.NONE));
        return Optional.of(scrubber.apply(api.console(id)));
    }
}
