package dev.lifeline.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an agent's environment is made of, on every backend: the few variables it inherits from the
 * server, then the workspace's own ({@link StartSpec#env}, its token among them), then Lifeline's
 * agent variables (its id, the platform URL, its labels), each layer winning a clash with the ones
 * before. Nothing else of the server's environment reaches an agent: not Lifeline's settings, not
 * the control plane's secrets, not whatever else the operator exported (database passwords, cloud
 * keys), since every agent could read them from its own environment.
 *
 * <p>What an agent inherits is an allow-list. A local process gets {@link #HOST_BASICS}, what any
 * program needs on this host; a container or a VM gets none of them, its image brings its own. The
 * operator may name more variables for every agent on every backend (the server's
 * {@code LIFELINE_AGENT_ENV_ALLOW}); they arrive as workspace variables.
 */
public final class AgentEnvPolicy {
    /**
     * Where a local agent finds its tools, its home, its user, locale and time zone, and its
     * temporary files; {@code JAVA_HOME} because scripts that start a JVM look for it. Locale
     * variables ({@code LC_*}) are inherited too.
     */
    public static final Set<String> HOST_BASICS =
            Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "JAVA_HOME");

    private static final String LOCALE_PREFIX = "LC_";

    private AgentEnvPolicy() {}

    /** The host basics among {@code server}'s variables: all a local agent process inherits. */
    public static Map<String, String> hostBasics(Map<String, String> server) {
        Map<String, String> basics = new TreeMap<>();
        server.forEach((name, value) -> {
            if (HOST_BASICS.contains(name) || name.startsWith(LOCALE_PREFIX)) {
                basics.put(name, value);
            }
        });
        return basics;
    }

    /** The variables of {@code server} whose names are in {@code names}. */
    public static Map<String, String> named(Map<String, String> server, Collection<String> names) {
        Map<String, String> found = new TreeMap<>();
        for (String name : names) {
            String value = server.get(name);
            if (value != null) {
                found.put(name, value);
            }
        }
        return found;
    }

    /**
     * The agent's environment from its three layers, in this order: each name appears once, with
     * the value and at the place of the last layer that sets it.
     */
    public static Map<String, String> layered(
            Map<String, String> inherited, Map<String, String> workspace, Map<String, String> lifeline) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, String> layer : java.util.List.of(inherited, workspace, lifeline)) {
            layer.forEach((name, value) -> {
                env.remove(name);
                env.put(name, value);
            });
        }
        return env;
    }
}
