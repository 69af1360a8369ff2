package dev.lifeline.backend.docker;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Hides the values of a container's secret variables (names containing TOKEN, SECRET, KEY or
 * PASSWORD) in its console output. Values shorter than six characters are flags, not secrets,
 * and are left alone so the console stays readable.
 */
record SecretRedactor(List<String> secrets) {
    static final String MARKER = "[redacted]";
    private static final List<String> SECRET_NAME_PARTS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD");
    private static final int SHORTEST_SECRET = 6;

    SecretRedactor {
        // Longest first, so a secret that contains another is hidden whole.
        secrets = secrets.stream()
                .filter(value -> value.length() >= SHORTEST_SECRET)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** From a container's environment as the daemon reports it: {@code NAME=value} lines. */
    static SecretRedactor ofEnvironment(List<String> lines) {
        return new SecretRedactor(lines.stream()
                .filter(line -> line.indexOf('=') > 0)
                .filter(line -> isSecretName(line.substring(0, line.indexOf('='))))
                .map(line -> line.substring(line.indexOf('=') + 1))
                .toList());
    }

    private static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return SECRET_NAME_PARTS.stream().anyMatch(upper::contains);
    }

    String apply(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MARKER);
        }
        return result;
    }
}
