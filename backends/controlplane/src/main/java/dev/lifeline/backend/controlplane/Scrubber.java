package dev.lifeline.backend.controlplane;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Removes known secrets from text an operator is about to see: the control plane's credentials and
 * the secret values of an agent's environment (any variable whose name has TOKEN, SECRET, KEY or
 * PASSWORD in it), which a VM's console may echo.
 */
record Scrubber(List<String> secrets) {
    static final String MARKER = "[redacted]";
    /** Shorter values are flags such as {@code 1} or {@code false}, not secrets. */
    private static final int SHORTEST_SECRET = 6;

    private static final List<String> SECRET_NAME_PARTS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD");

    Scrubber {
        secrets = secrets.stream()
                .filter(s -> s.length() >= SHORTEST_SECRET)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    static Scrubber of(Collection<String> secrets) {
        return new Scrubber(List.copyOf(secrets));
    }

    /** The secret values of {@code env}. */
    static List<String> secretValues(Map<String, String> env) {
        return env.entrySet().stream()
                .filter(e -> SECRET_NAME_PARTS.stream().anyMatch(e.getKey().toUpperCase(Locale.ROOT)::contains))
                .map(Map.Entry::getValue)
                .toList();
    }

    Scrubber and(Collection<String> more) {
        return new Scrubber(Stream.concat(secrets.stream(), more.stream()).toList());
    }

    String apply(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MARKER);
        }
        return result;
    }

    @Override
    public String toString() {
        return "Scrubber[" + secrets.size() + " secrets]";
    }
}
