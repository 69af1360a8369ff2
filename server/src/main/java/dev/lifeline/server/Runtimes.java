package dev.lifeline.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runtime → command table of the process backend. {@code echo} runs the reference agent from
 * Lifeline's own class path; {@code LIFELINE_RUNTIME_<NAME>="cmd arg {port}"} adds or replaces one.
 */
final class Runtimes {
    static final String AGENT_MAIN = "dev.lifeline.agent.ReferenceAgent";
    private static final String PREFIX = "LIFELINE_RUNTIME_";

    private Runtimes() {}

    static Map<String, List<String>> from(Map<String, String> env) {
        Map<String, List<String>> runtimes = new LinkedHashMap<>();
        runtimes.put("echo", referenceAgent());
        env.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && !value.isBlank()) {
                String name =
                        key.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                runtimes.put(name, List.of(value.trim().split("\\s+")));
            }
        });
        return runtimes;
    }

    /** {@code LIFELINE_PROVISION_TIMEOUT_<RUNTIME>_SECONDS} overrides, by runtime name. */
    static Map<String, java.time.Duration> provisionTimeouts(Map<String, String> env) {
        Map<String, java.time.Duration> timeouts = new LinkedHashMap<>();
        String prefix = "LIFELINE_PROVISION_TIMEOUT_";
        env.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.endsWith("_SECONDS") && key.length() > prefix.length() + 8) {
                String runtime = key.substring(prefix.length(), key.length() - "_SECONDS".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '-');
                try {
                    timeouts.put(runtime, java.time.Duration.ofSeconds(Long.parseLong(value.trim())));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key + " must be a whole number of seconds, got '" + value + "'");
                }
            }
        });
        return timeouts;
    }

    /** The reference agent on this JVM's class path, tuned for a small, fast-starting process. */
    static List<String> referenceAgent() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(Arrays.asList("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add(AGENT_MAIN);
        return cmd;
    }

    /** The agent runs in its own working directory, so a relative class path would not resolve there. */
    static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
