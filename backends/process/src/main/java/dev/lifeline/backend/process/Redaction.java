package dev.lifeline.backend.process;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Replaces the values of secret environment variables in text an operator is about to see. */
record Redaction(List<String> secrets) {
    static final String MARKER = "[redacted]";
    private static final List<String> SECRET_KEY_PARTS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD");
    /**
     * Shorter values are flags ({@code USE_KEYRING=1}, {@code SECRET_MANAGER=false}); hiding every
     * "1" or "false" would make the console unreadable, and no real secret is that short.
     */
    static final int SHORTEST_SECRET = 6;

    Redaction {
        // Longest first, so a secret that contains another is replaced whole.
        secrets = secrets.stream()
                .filter(secret -> secret.length() >= SHORTEST_SECRET)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** The values of every variable whose name contains TOKEN, SECRET, KEY or PASSWORD, any case. */
    static Redaction of(Map<String, String> env) {
        return new Redaction(env.entrySet().stream()
                .filter(entry -> isSecretKey(entry.getKey()))
                .map(Map.Entry::getValue)
                .toList());
    }

    private static boolean isSecretKey(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(upper::contains);
    }

    Redaction and(Redaction other) {
        return new Redaction(
                Stream.concat(secrets.stream(), other.secrets.stream()).toList());
    }

    String apply(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MARKER);
        }
        return result;
    }

    /** The longest secret in UTF-8 bytes: how far a secret can reach back across a cut. */
    int longestBytes() {
        return secrets.stream()
                .mapToInt(secret -> secret.getBytes(StandardCharsets.UTF_8).length)
                .max()
                .orElse(0);
    }
}
