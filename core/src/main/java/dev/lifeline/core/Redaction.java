package dev.lifeline.core;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replaces known secret values in text an operator is about to see: a console, an error message.
 * Every backend uses it for the agent environment it started (the values of variables whose names
 * contain TOKEN, SECRET, KEY or PASSWORD) and for its own credentials.
 */
public record Redaction(List<String> secrets) {
    public static final String MARKER = "[redacted]";
    public static final Redaction NONE = new Redaction(List.of());
    private static final List<String> SECRET_NAME_PARTS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD");
    /**
     * Shorter values are flags ({@code USE_KEYRING=1}, {@code SECRET_MANAGER=false}); hiding every
     * "1" or "false" would make the text unreadable, and no real secret is that short.
     */
    public static final int SHORTEST_SECRET = 6;

    public Redaction {
        // Longest first, so a secret that contains another is replaced whole.
        secrets = secrets.stream()
                .filter(secret -> secret.length() >= SHORTEST_SECRET)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** The values of the secret-named variables of {@code env}. */
    public static Redaction of(Map<String, String> env) {
        return new Redaction(env.entrySet().stream()
                .filter(entry -> isSecretName(entry.getKey()))
                .map(Map.Entry::getValue)
                .toList());
    }

    /** The same, from {@code NAME=value} lines as a container runtime reports them. */
    public static Redaction ofLines(Collection<String> lines) {
        return new Redaction(lines.stream()
                .filter(line -> line.indexOf('=') > 0)
                .filter(line -> isSecretName(line.substring(0, line.indexOf('='))))
                .map(line -> line.substring(line.indexOf('=') + 1))
                .toList());
    }

    /** These values, whatever they are called. */
    public static Redaction ofValues(Collection<String> values) {
        return new Redaction(List.copyOf(values));
    }

    /** Whether a variable of this name holds a secret: TOKEN, SECRET, KEY or PASSWORD in it, any case. */
    public static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return SECRET_NAME_PARTS.stream().anyMatch(upper::contains);
    }

    public Redaction and(Redaction other) {
        return new Redaction(
                Stream.concat(secrets.stream(), other.secrets.stream()).toList());
    }

    public String apply(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MARKER);
        }
        return result;
    }

    /** The longest secret in UTF-8 bytes: how far a secret can reach back across a cut. */
    public int longestBytes() {
        return secrets.stream()
                .mapToInt(secret -> secret.getBytes(StandardCharsets.UTF_8).length)
                .max()
                .orElse(0);
    }

    /** Never the secrets themselves. */
    @Override
    public String toString() {
        return "Redaction[" + secrets.size() + " secrets]";
    }
}
