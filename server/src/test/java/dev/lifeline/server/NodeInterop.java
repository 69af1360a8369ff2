package dev.lifeline.server;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Node.js and the official A2A JavaScript SDK ({@code @a2a-js/sdk}, installed into {@code interop/}
 * by {@code npm ci --prefix interop}), for the tests that run its client or its agent. Without them
 * such a test is skipped with the reason, except under {@code CI=true}, where that is a failure.
 */
record NodeInterop(Path node, Path interop) {
    private static final Optional<String> CI_FLAG = Optional.ofNullable(System.getenv("CI"));

    /** The parts, or the test is skipped (failed under CI) with what is missing. */
    static NodeInterop require() {
        Missing missing = locate();
        if (missing.reason() != null) {
            if (CI_FLAG.filter("true"::equals).isPresent()) {
                fail("interop tests cannot run under CI=true: " + missing.reason());
            }
            Assumptions.abort(missing.reason());
        }
        return missing.parts();
    }

    /** The parts, if this machine has them; never skips or fails. */
    static Optional<NodeInterop> find() {
        Missing missing = locate();
        return missing.reason() == null ? Optional.of(missing.parts()) : Optional.empty();
    }

    /** {@code LIFELINE_RUNTIME_NODE}: the process backend runs the SDK's agent, {@code interop/agent.mjs}. */
    String agentRuntime() {
        return node + " " + interop.resolve("agent.mjs");
    }

    Path client() {
        return interop.resolve("client.mjs");
    }

    private record Missing(NodeInterop parts, String reason) {}

    private static Missing locate() {
        Path here = Path.of("").toAbsolutePath();
        Optional<Path> dir = Stream.iterate(here, p -> p != null, Path::getParent)
                .map(p -> p.resolve("interop"))
                .filter(p -> Files.isRegularFile(p.resolve("package.json")))
                .findFirst();
        if (dir.isEmpty()) {
            return new Missing(null, "no interop/package.json in " + here + " or above");
        }
        Optional<Path> node = executableOnPath("node");
        if (node.isEmpty()) {
            return new Missing(null, "node is not on PATH (install Node.js 20 or newer)");
        }
        if (!Files.isRegularFile(dir.get().resolve("node_modules/@a2a-js/sdk/package.json"))) {
            return new Missing(null, "@a2a-js/sdk is not installed: run `npm ci --prefix interop`");
        }
        return new Missing(new NodeInterop(node.get(), dir.get()), null);
    }

    private static Optional<Path> executableOnPath(String name) {
        String path = System.getenv("PATH");
        return Stream.of(path == null ? new String[0] : path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }
}
