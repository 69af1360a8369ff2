package dev.lifeline.store;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, on a free local port with its data under {@code workDir}.
 *
 * <p>initdb and postgres refuse to run as root, and builds in containers and CI often are root. So
 * when the JVM is root, every PostgreSQL command runs through {@code setpriv} (or {@code runuser})
 * as the unprivileged user {@code nobody}, which owns the data directory.
 */
public final class PostgresServer implements AutoCloseable {
    /** Suffix of the file beside a data directory that names the JVM which started its server. */
    private static final String OWNER = ".owner";

    public static final String SUPERUSER = "postgres";
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    /** This machine cannot run PostgreSQL at all (as opposed to a failure while starting it). */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason);
        }
    }

    private final Path bin;
    private final Path workDir;
    private final Path dataDir;
    private final List<String> runAs;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread stopAtExit = new Thread(this::stopQuietly, "postgres-stop");

    private PostgresServer(Path bin, Path workDir, Path dataDir, List<String> runAs, int port) {
        this.bin = bin;
        this.workDir = workDir;
        this.dataDir = dataDir;
        this.runAs = runAs;
        this.port = port;
    }

    /**
     * Starts a server under {@code preferredDir}; or, when running as root and {@code nobody} cannot
     * reach that directory (a checkout under {@code /root}), under a directory of its own in the
     * system temporary directory.
     */
    public static PostgresServer start(Path preferredDir) throws IOException, Unavailable, InterruptedException {
        List<String> runAs = unprivilegedPrefix();
        Path workDir = runAs.isEmpty() || othersCanReach(preferredDir)
                ? preferredDir
                : Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "lifeline-pg-" + Integer.toHexString(preferredDir.hashCode()));
        Files.createDirectories(workDir);
        Files.setPosixFilePermissions(workDir, PostgresBinaries.permissions(0755));
        Path bin = PostgresBinaries.unpack(workDir).resolve("bin");
        reapStale(workDir, bin, runAs);

        Path dataDir = Files.createTempDirectory(workDir, "data-");
        Files.writeString(
                workDir.resolve(dataDir.getFileName() + OWNER),
                Long.toString(ProcessHandle.current().pid()));
        if (!runAs.isEmpty()) {
            Files.setAttribute(dataDir, "unix:uid", Integer.parseInt(idOf("-u")));
            Files.setAttribute(dataDir, "unix:gid", Integer.parseInt(idOf("-g")));
        }
        PostgresServer server = new PostgresServer(bin, workDir, dataDir, runAs, freePort());
        server.run(
                "initdb",
                "-D",
                dataDir.toString(),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync");
        server.run(
                "pg_ctl",
                "-D",
                dataDir.toString(),
                "-l",
                dataDir.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                server.serverOptions(),
                "start");
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        return server;
    }

    /** A new, empty database on this server. */
    public String createDatabase() throws SQLException {
        String name = "contract_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run
        }
        stop();
    }

    private void stop() throws IOException, InterruptedException {
        run("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        deleteTree(dataDir);
        Files.deleteIfExists(workDir.resolve(dataDir.getFileName() + OWNER));
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the test PostgreSQL server: " + e.getMessage());
        }
    }

    private String serverOptions() {
        return "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    }

    /** Runs a PostgreSQL program as the server's user; throws with its output if it fails. */
    private void run(String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(runAs);
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        File log = Files.createTempFile(workDir, program + "-", ".log").toFile();
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("LC_ALL", "C");
        builder.environment().remove("PGDATA");
        Process process = builder.start();
        boolean exited = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        Files.delete(log.toPath());
        if (!exited || process.exitValue() != 0) {
            throw new IOException(program + " failed: " + output.strip() + serverLogTail());
        }
    }

    private String serverLogTail() throws IOException {
        Path log = dataDir.resolve("server.log");
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Empty when this JVM is not root; else the command that drops to {@code nobody}. */
    private static List<String> unprivilegedPrefix() throws IOException, Unavailable, InterruptedException {
        if (new UnixSystem().getUid() != 0) {
            return List.of();
        }
        String uid = idOf("-u");
        String gid = idOf("-g");
        if (onPath("setpriv")) {
            return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
        }
        if (onPath("runuser")) {
            return List.of("runuser", "-u", UNPRIVILEGED_USER, "--");
        }
        throw new Unavailable("running as root and neither setpriv nor runuser is installed");
    }

    private static boolean othersCanReach(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static String idOf(String flag) throws IOException, Unavailable, InterruptedException {
        Process p = new ProcessBuilder("id", flag, UNPRIVILEGED_USER).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new Unavailable("running as root and there is no user " + UNPRIVILEGED_USER);
        }
        return out;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * Stops servers left behind by a JVM that was killed, and deletes their data; a server whose JVM
     * still runs (another test class of the same run, or another module's run) is left alone.
     */
    private static void reapStale(Path workDir, Path bin, List<String> runAs) throws IOException, InterruptedException {
        List<Path> stale;
        try (Stream<Path> dirs = Files.list(workDir)) {
            stale = dirs.filter(d -> d.getFileName().toString().startsWith("data-")
                            && !d.getFileName().toString().endsWith(OWNER))
                    .filter(d -> !ownerRuns(workDir, d))
                    .toList();
        }
        for (Path dir : stale) {
            if (Files.exists(dir.resolve("postmaster.pid"))) {
                try {
                    new PostgresServer(bin, workDir, dir, runAs, 0)
                            .run("pg_ctl", "-D", dir.toString(), "-m", "immediate", "-w", "stop");
                } catch (IOException notRunning) {
                    // pg_ctl found no live server; the directory is only garbage
                }
            }
            deleteTree(dir);
            Files.deleteIfExists(workDir.resolve(dir.getFileName() + OWNER));
        }
    }

    /** Whether the JVM that started the server of {@code dataDir} is still running. */
    private static boolean ownerRuns(Path workDir, Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readString(workDir.resolve(dataDir.getFileName() + OWNER))
                    .trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
        } catch (IOException | NumberFormatException unknown) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
