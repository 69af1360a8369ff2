package dev.lifeline.backend.process;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.DeathListener;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each workspace's agent as a local OS process, the embedded default backend.
 *
 * <p>An instance ref is {@code <pid>@<start epoch millis>}, so a recycled pid is never mistaken
 * for the agent. A state file per process under {@code <dataDir>/process/instances} lets a
 * restarted server find its agents again; output goes to {@code <dataDir>/process/logs/<id>.log}.
 * Deaths are pushed as soon as a process exits; a process ended through {@link #stop} is not
 * reported as dead.
 */
public final class ProcessProvisioner implements Provisioner {
    private static final Logger log = LoggerFactory.getLogger(ProcessProvisioner.class);
    private static final String NAME = "process";
    /** How long a process whose start instant is unreadable gets to show that it has exited. */
    private static final Duration EXIT_SETTLE = Duration.ofSeconds(1);

    private final ProcessBackendConfig config;
    private final StateFiles states;
    private final ConsoleLogs logs;
    private final Launcher launcher;
    private final Terminator terminator;
    private final ExitWatcher exits = new ExitWatcher();
    private final PortPicker ports = new PortPicker();
    private final Map<WorkspaceId, ReentrantLock> startLocks = new ConcurrentHashMap<>();

    public ProcessProvisioner(ProcessBackendConfig config) {
        this.config = config;
        Path root = config.dataDir().resolve("process");
        this.states = new StateFiles(root.resolve("instances"));
        this.logs = new ConsoleLogs(root.resolve("logs"));
        this.launcher = new Launcher(config.serverId(), root.resolve("workspaces"), config.inherited());
        this.terminator = new Terminator(NAME, config.stopGrace());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A pid means something only on this host. */
    @Override
    public boolean hostLocal() {
        return true;
    }

    @Override
    public Optional<Set<String>> knownRuntimes() {
        return Optional.of(new TreeSet<>(config.runtimes().keySet()));
    }

    @Override
    public Instance start(StartSpec spec) {
        List<String> template = config.runtimes().get(spec.runtime());
        if (template == null) {
            throw new BackendException(
                    NAME,
                    "unknown runtime '" + spec.runtime() + "'; known runtimes: "
                            + new TreeSet<>(config.runtimes().keySet()));
        }
        // One start at a time per workspace keeps generations' separator lines apart in its log.
        ReentrantLock lock = startLocks.computeIfAbsent(spec.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            return launch(spec, template);
        } catch (IOException e) {
            throw new BackendException(NAME, "cannot start workspace " + spec.id() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Instance launch(StartSpec spec, List<String> template) throws IOException {
        int port = ports.pick();
        logs.beginGeneration(spec.id(), spec.generation());
        ProcessBuilder prepared = launcher.prepare(spec, template, port, logs.fileOf(spec.id()));
        logs.remember(spec.id(), Redaction.of(prepared.environment()));
        Process process = Launcher.start(prepared);
        PidRef pid = refOf(process, EXIT_SETTLE).orElse(null);
        if (pid == null) {
            process.destroyForcibly();
            throw new BackendException(NAME, "this platform does not report process start times");
        }
        try {
            states.write(new StateRecord(spec.id(), spec.generation(), config.serverId(), pid, port));
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        exits.watch(
                spec.id(), pid.toRef(), () -> process.onExit().thenApply(p -> "exited with status " + p.exitValue()));
        log.info(
                "Started workspace {} generation {} as pid {} on port {}",
                spec.id(),
                spec.generation(),
                pid.pid(),
                port);
        return new Instance(pid.toRef(), "http://" + Launcher.LOOPBACK + ":" + port);
    }

    /**
     * The ref of a process just started. One that exited at once has no readable start instant any
     * more; it still gets a ref (start 0, which no live process matches) so that its death is seen
     * like any other. Its entry in /proc can vanish a moment before the JDK marks it exited, so an
     * unreadable start is only blamed on the platform (empty) when the process has not exited after
     * {@code settle} either.
     */
    static Optional<PidRef> refOf(Process process, Duration settle) {
        Optional<PidRef> ref = PidRef.of(process.toHandle());
        if (ref.isPresent()) {
            return ref;
        }
        boolean exited;
        try {
            exited = process.waitFor(settle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = !process.isAlive();
        }
        return exited ? Optional.of(new PidRef(process.pid(), 0)) : Optional.empty();
    }

    @Override
    public void stop(WorkspaceId id, InstanceRef ref) {
        PidRef pid = PidRef.parse(ref)
                .orElseThrow(
                        () -> new BackendException(NAME, "cannot stop workspace " + id + ": malformed ref " + ref));
        ProcessHandle handle = pid.handle().orElse(null);
        Liveness liveness = pid.livenessOf(handle);
        if (liveness instanceof Liveness.Unknown unknown) {
            throw new BackendException(NAME, "cannot stop workspace " + id + ": " + unknown.cause());
        }
        if (handle != null && liveness instanceof Liveness.Running) {
            terminate(id, pid, handle);
        }
        try {
            states.delete(id, pid.pid());
        } catch (UncheckedIOException e) {
            throw new BackendException(NAME, "stopped workspace " + id + " but cannot forget it", e);
        }
        log.info("Stopped workspace {} (pid {})", id, pid.pid());
    }

    private void terminate(WorkspaceId id, PidRef pid, ProcessHandle handle) {
        exits.forget(pid.toRef());
        try {
            terminator.terminate(handle);
        } catch (BackendException e) {
            exits.watch(id, pid.toRef(), () -> ExitWatcher.polledExit(pid)); // still ours, still alive
            throw e;
        }
    }

    @Override
    public Liveness probe(WorkspaceId id, InstanceRef ref) {
        return liveness(ref, pid -> ProcessHandle.of(pid).orElse(null));
    }

    /** Answers from one scan of the process table. */
    @Override
    public Map<WorkspaceId, Liveness> probeAll(Collection<OwnedInstance> instances) {
        Map<Long, ProcessHandle> table;
        try {
            table = ProcessHandle.allProcesses()
                    .collect(Collectors.toMap(ProcessHandle::pid, Function.identity(), (first, second) -> first));
        } catch (RuntimeException e) {
            Liveness unknown = Liveness.unknown("cannot list processes: " + e);
            return instances.stream()
                    .collect(Collectors.toMap(OwnedInstance::id, instance -> unknown, (a, b) -> a, LinkedHashMap::new));
        }
        Map<WorkspaceId, Liveness> result = new LinkedHashMap<>();
        for (OwnedInstance instance : instances) {
            result.put(instance.id(), liveness(instance.ref(), table::get));
        }
        return result;
    }

    private static Liveness liveness(InstanceRef ref, LongFunction<@Nullable ProcessHandle> processWithPid) {
        Optional<PidRef> pid = PidRef.parse(ref);
        if (pid.isEmpty()) {
            return Liveness.unknown("not a process ref: " + ref);
        }
        try {
            return pid.get().livenessOf(processWithPid.apply(pid.get().pid()));
        } catch (RuntimeException e) {
            return Liveness.unknown("cannot inspect pid " + pid.get().pid() + ": " + e);
        }
    }

    @Override
    public void watch(DeathListener listener) {
        exits.addListener(listener);
    }

    /** Finds this server's live processes from their state files, adopts them, and drops stale files. */
    @Override
    public List<OwnedInstance> listOwned() {
        List<StateRecord> records;
        try {
            records = states.readAll();
        } catch (IOException e) {
            throw new BackendException(NAME, "cannot list instance state files", e);
        }
        List<OwnedInstance> owned = new ArrayList<>();
        for (StateRecord record : records) {
            if (record.serverId().equals(config.serverId()) && isOwnedAndLive(record)) {
                owned.add(record.owned());
            }
        }
        return owned;
    }

    private boolean isOwnedAndLive(StateRecord record) {
        ProcessHandle handle = record.process().handle().orElse(null);
        Liveness liveness = record.process().livenessOf(handle);
        if (liveness instanceof Liveness.Stopped) {
            dropStale(record);
            return false;
        }
        if (handle != null && liveness instanceof Liveness.Running) {
            adopt(record, handle);
        }
        return true; // when unsure, keep listing it: forgetting a live agent would orphan it
    }

    private void dropStale(StateRecord record) {
        log.debug(
                "Dropping the state of workspace {}'s exited pid {}",
                record.id(),
                record.process().pid());
        try {
            states.delete(record.id(), record.process().pid());
        } catch (UncheckedIOException e) {
            log.warn("Cannot delete the stale state of workspace {}", record.id(), e);
        }
    }

    private void adopt(StateRecord record, ProcessHandle handle) {
        if (!logs.knows(record.id())) {
            ProcFs.environ(handle.pid()).ifPresent(env -> logs.remember(record.id(), Redaction.of(env)));
        }
        exits.watch(record.id(), record.process().toRef(), () -> ExitWatcher.polledExit(record.process()));
    }

    @Override
    public Optional<String> console(WorkspaceId id, InstanceRef ref) {
        try {
            return logs.tail(id);
        } catch (IOException e) {
            throw new BackendException(NAME, "cannot read the log of workspace " + id, e);
        }
    }
}
