package dev.lifeline.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240's {@code Prefer} header: how many seconds the caller is
 * willing to wait for its answer. Only the first {@code wait} counts (RFC 7240 §2); one whose value
 * is not a number of seconds is ignored, as a preference the server does not understand would be.
 */
final class PreferWait {
    /** Longer waits are read as this one; the hold window bounds every wait long before. */
    private static final int MOST_DIGITS = 9;

    private PreferWait() {}

    /** The wait preferred in {@code headers}, the values of every {@code Prefer} header in order. */
    static Optional<Duration> of(List<String> headers) {
        for (String header : headers) {
            for (String preference : split(header, ',')) {
                String token = split(preference, ';').getFirst();
                int equals = token.indexOf('=');
                String name = (equals < 0 ? token : token.substring(0, equals)).trim();
                if (name.equalsIgnoreCase("wait")) {
                    return equals < 0
                            ? Optional.empty()
                            : seconds(unquoted(token.substring(equals + 1).trim()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> seconds(String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        return Optional.of(Duration.ofSeconds(
                digits.length() > MOST_DIGITS ? Long.parseLong("9".repeat(MOST_DIGITS)) : Long.parseLong(digits)));
    }

    private static String unquoted(String word) {
        if (word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"")) {
            return word.substring(1, word.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return word;
    }

    /** Splits at {@code separator} outside quoted strings (a backslash escapes inside them). */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
