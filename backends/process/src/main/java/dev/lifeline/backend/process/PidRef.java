package dev.lifeline.backend.process;

import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A process identified by its pid and its start instant, rendered as {@code <pid>@<epoch millis>}.
 * The start instant defeats pid reuse: a recycled pid belongs to a process that started later.
 */
record PidRef(long pid, long startMillis) {

    /**
     * How far two readings of one process's start instant may differ. Within one JVM they are equal;
     * a later JVM derives the instant from the kernel's boot time again, which moves when the wall
     * clock is stepped. A recycled pid within this window would need the pid space to wrap in it.
     */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    static Optional<PidRef> parse(InstanceRef ref) {
        String value = ref.value();
        int at = value.indexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(value.substring(0, at));
            long start = Long.parseLong(value.substring(at + 1));
            return pid > 0 ? Optional.of(new PidRef(pid, start)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The ref of a live process, empty when the platform does not tell its start instant. */
    static Optional<PidRef> of(ProcessHandle handle) {
        return handle.info().startInstant().map(start -> new PidRef(handle.pid(), start.toEpochMilli()));
    }

    InstanceRef toRef() {
        return new InstanceRef(pid + "@" + startMillis);
    }

    Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid);
    }

    /** Whether {@code handle} (the process now holding this pid, or null) is this very process, alive. */
    Liveness livenessOf(@Nullable ProcessHandle handle) {
        if (handle == null || hasExited(handle)) {
            return Liveness.STOPPED;
        }
        Optional<Instant> started = handle.info().startInstant();
        if (started.isEmpty()) {
            return handle.isAlive()
                    ? Liveness.unknown("start instant of pid " + pid + " unreadable")
                    : Liveness.STOPPED;
        }
        return isSameStart(started.get()) ? Liveness.RUNNING : Liveness.STOPPED;
    }

    static boolean hasExited(ProcessHandle handle) {
        return !handle.isAlive() || ProcFs.isDefunct(handle.pid());
    }

    private boolean isSameStart(Instant started) {
        return Math.abs(started.toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS;
    }
}
