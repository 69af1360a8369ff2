package dev.lifeline.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real Docker Engine for tests: the project's private dockerd ({@code backends/docker/dockerd.sh}),
 * started on first use, and the reference agent's image built from local files
 * ({@code backends/docker/agent-image.sh}). {@code LIFELINE_TEST_DOCKER_HOST} points the tests at
 * another daemon instead. Where no engine can run, tests are skipped with the reason, except under
 * {@code CI=true}, where they fail: CI installs Docker, so a skip there would hide a broken setup.
 */
public final class DockerEngine {
    /** The image the tests run agents from. */
    public static final String AGENT_IMAGE = "lifeline/reference-agent:test";

    private static @Nullable String host;
    private static @Nullable String unavailable;
    private static boolean ownDaemon;
    private static boolean imageBuilt;

    private DockerEngine() {}

    /** The daemon's address ({@code unix:///...}); skips (or fails under CI) when none can run. */
    public static synchronized String dockerHost() {
        if (host == null && unavailable == null) {
            String given = System.getenv("LIFELINE_TEST_DOCKER_HOST");
            if (given != null && !given.isBlank()) {
                host = given.strip();
            } else {
                startDaemon();
            }
        }
        if (host == null) {
            return notHere(String.valueOf(unavailable));
        }
        return host;
    }

    /** Builds (or finds up to date) {@link #AGENT_IMAGE} from the jars or folders these classes load from. */
    public static String agentImageOf(Class<?>... onClassPath) {
        return agentImage(
                Stream.of(onClassPath).map(DockerEngine::codeSource).distinct().toList());
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no class path entry for " + type, e);
        }
    }

    /** Builds (or finds up to date) {@link #AGENT_IMAGE} from these class path entries. */
    public static synchronized String agentImage(List<Path> classPath) {
        String daemon = dockerHost();
        if (!imageBuilt) {
            String joined = classPath.stream().map(Path::toString).collect(Collectors.joining(":"));
            Result result = run(
                    List.of(script("agent-image.sh").toString(), AGENT_IMAGE, joined),
                    Map.of("DOCKER_HOST", daemon, "JAVA_HOME", System.getProperty("java.home")),
                    600);
            if (result.status() != 0) {
                fail("building " + AGENT_IMAGE + " failed:\n" + result.output());
            }
            imageBuilt = true;
        }
        return AGENT_IMAGE;
    }

    /** Runs the docker CLI against the test daemon and returns its output; fails on an error. */
    public static String docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Result result = run(command, Map.of("DOCKER_HOST", dockerHost()), 120);
        if (result.status() != 0) {
            fail(String.join(" ", command) + " failed:\n" + result.output());
        }
        return result.output().strip();
    }

    /**
     * Stops the project's daemon (which stops every container on it) and starts it again, as a
     * daemon restart in production would; skips when the tests use a daemon they did not start.
     */
    public static synchronized void restartDaemon() {
        dockerHost();
        if (!ownDaemon) {
            abort("the tests use a Docker daemon they did not start, so they do not restart it");
        }
        Result stopped = run(List.of(script("dockerd.sh").toString(), "stop"), Map.of(), 120);
        if (stopped.status() != 0) {
            fail("stopping dockerd failed:\n" + stopped.output());
        }
        host = null;
        startDaemon();
        if (host == null) {
            fail("dockerd did not come back: " + unavailable);
        }
    }

    private static void startDaemon() {
        Path script;
        try {
            script = script("dockerd.sh");
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
            return;
        }
        Result result = run(List.of(script.toString(), "start"), Map.of(), 180);
        for (String line : result.output().split("\n")) {
            if (result.status() == 0 && line.startsWith("DOCKER_HOST=")) {
                host = line.substring("DOCKER_HOST=".length()).strip();
                ownDaemon = true;
                return;
            }
        }
        unavailable = "no Docker Engine could start here: " + result.output().strip();
    }

    private static String notHere(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            return fail(reason + " (CI=true: Docker tests must run, not skip)");
        }
        System.out.println("Skipping Docker tests: " + reason);
        return abort(reason);
    }

    private static Path script(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("backends/docker").resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "backends/docker/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private record Result(int status, String output) {}

    private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Path log = Files.createTempFile("lifeline-docker-", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
