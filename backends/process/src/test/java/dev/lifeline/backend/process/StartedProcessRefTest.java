package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ref of a process just started, when its start instant cannot be read: an agent that exits at
 * once has lost its /proc entry, sometimes before the JDK has marked it exited.
 */
class StartedProcessRefTest {

    @Test
    void aLiveProcessIsKnownByItsPidAndStart() {
        Process self = new StartedProcess(ProcessHandle.current(), true);

        Optional<PidRef> ref = ProcessProvisioner.refOf(self, Duration.ZERO);

        assertThat(ref).hasValueSatisfying(r -> assertThat(r.pid())
                .isEqualTo(ProcessHandle.current().pid()));
        assertThat(ref.get().startMillis()).isPositive();
    }

    @Test
    void aProcessThatExitedBeforeTheJdkNoticedGetsARefNoLiveProcessMatches() {
        Process exited = new StartedProcess(new Unreadable(4242), true);

        assertThat(ProcessProvisioner.refOf(exited, Duration.ofSeconds(1))).contains(new PidRef(4242, 0));
    }

    @Test
    void aRunningProcessWithoutAStartInstantHasNoRef() {
        Process running = new StartedProcess(new Unreadable(4242), false);

        assertThat(ProcessProvisioner.refOf(running, Duration.ofMillis(1))).isEmpty();
    }

    /** A started process that reports {@code handle}, alive until asked to wait, then {@code exits}. */
    private static final class StartedProcess extends Process {
        private final ProcessHandle handle;
        private final boolean exits;

        StartedProcess(ProcessHandle handle, boolean exits) {
            this.handle = handle;
            this.exits = exits;
        }

        @Override
        public ProcessHandle toHandle() {
            return handle;
        }

        @Override
        public long pid() {
            return handle.pid();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) {
            return exits;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {}
    }

    /** A process handle whose information the platform no longer gives. */
    private record Unreadable(long pid) implements ProcessHandle {
        @Override
        public Optional<ProcessHandle> parent() {
            return Optional.empty();
        }

        @Override
        public Stream<ProcessHandle> children() {
            return Stream.empty();
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return Stream.empty();
        }

        @Override
        public Info info() {
            return new Info() {
                @Override
                public Optional<String> command() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> commandLine() {
                    return Optional.empty();
                }

                @Override
                public Optional<String[]> arguments() {
                    return Optional.empty();
                }

                @Override
                public Optional<Instant> startInstant() {
                    return Optional.empty();
                }

                @Override
                public Optional<Duration> totalCpuDuration() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> user() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            return false;
        }

        @Override
        public boolean destroyForcibly() {
            return false;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }
    }
}
