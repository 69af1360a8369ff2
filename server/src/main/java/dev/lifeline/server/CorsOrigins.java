package dev.lifeline.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The browser origins that may call Lifeline from pages of their own, with credentials (an operator
 * UI such as the canvas): {@code LIFELINE_CORS_ORIGINS}, or the reference's {@code CORS_ORIGINS},
 * comma-separated, each {@code http(s)://host[:port]} as a browser writes it in its {@code Origin}
 * header; {@code none} allows none. Because credentials are allowed, every origin is named: there
 * is no wildcard.
 */
record CorsOrigins(Set<String> origins) {
    static final String KEY = "LIFELINE_CORS_ORIGINS";
    static final String REFERENCE_KEY = "CORS_ORIGINS";
    /** Where the canvas's development server runs (its {@code next dev} port and the next one). */
    static final List<String> DEFAULT = List.of("http://localhost:3000", "http://localhost:3001");

    CorsOrigins {
        origins = Set.copyOf(origins);
    }

    static CorsOrigins from(Map<String, String> env) {
        String key = present(env, KEY) ? KEY : REFERENCE_KEY;
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            return new CorsOrigins(Set.copyOf(DEFAULT));
        }
        if (value.trim().equalsIgnoreCase("none")) {
            return new CorsOrigins(Set.of());
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                origins.add(origin(key, part.trim()));
            }
        }
        return new CorsOrigins(origins);
    }

    /** Whether a request with this {@code Origin} header gets the CORS headers. */
    boolean allows(@Nullable String origin) {
        return origin != null && origins.contains(origin);
    }

    private static boolean present(Map<String, String> env, String key) {
        String v = env.get(key);
        return v != null && !v.isBlank();
    }

    /** An origin in the form browsers send: lower case, no default port, no path. */
    private static String origin(String key, String text) {
        if (text.contains("*")) {
            throw new ConfigException(key + " cannot allow every origin ('" + text + "'): browsers send credentials"
                    + " to Lifeline, so name each origin, e.g. http://localhost:3000");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String bare = lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
        try {
            URI uri = new URI(bare);
            String scheme = uri.getScheme();
            boolean web = "http".equals(scheme) || "https".equals(scheme);
            if (!web
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new URISyntaxException(text, "not an origin");
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || port == ("http".equals(scheme) ? 80 : 443);
            return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " must list origins like http://localhost:3000 (scheme, host and"
                    + " port only) separated by commas, or be 'none'; '" + text + "' is not an origin");
        }
    }
}
