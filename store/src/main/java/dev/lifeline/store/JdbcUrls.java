package dev.lifeline.store;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** JDBC URL handling: the settings H2 needs to run the store's PostgreSQL-flavoured SQL. */
final class JdbcUrls {
    private static final String H2_PREFIX = "jdbc:h2:";
    private static final String H2_MEMORY_PREFIX = "jdbc:h2:mem:";
    /** A scheme before an H2 database's name, such as {@code tcp:}; one letter is a Windows drive. */
    private static final Pattern OTHER_H2_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9]+:");

    /** Added to an H2 URL unless it names the setting itself. */
    private static final Map<String, String> H2_SETTINGS = h2Settings();

    private JdbcUrls() {}

    private static Map<String, String> h2Settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("MODE", "PostgreSQL");
        settings.put("DATABASE_TO_LOWER", "TRUE");
        settings.put("DEFAULT_NULL_ORDERING", "HIGH");
        // H2 closes its databases in a shutdown hook of its own, which races the server's: the audit
        // rows and heartbeats the server writes as it stops found the database closed. The server
        // closes the store itself, last.
        settings.put("DB_CLOSE_ON_EXIT", "FALSE");
        return settings;
    }

    static boolean isH2(String url) {
        return startsWithIgnoreCase(url, H2_PREFIX);
    }

    static boolean isH2InMemory(String url) {
        return startsWithIgnoreCase(url, H2_MEMORY_PREFIX);
    }

    /**
     * Whether the URL names an H2 database this process opens itself, in memory or in a local file
     * ({@code jdbc:h2:mem:}, {@code jdbc:h2:file:}, or a bare path), not one behind a server ({@code
     * tcp:}, {@code ssl:}) or in another file system ({@code zip:}, …).
     */
    static boolean isH2Embedded(String url) {
        if (!isH2(url)) {
            return false;
        }
        String location = h2Location(url);
        return startsWithIgnoreCase(location, "mem:")
                || startsWithIgnoreCase(location, "file:")
                || !OTHER_H2_SCHEME.matcher(location).lookingAt();
    }

    /**
     * The path an embedded H2 database's files start with ({@code /data/lifeline} for {@code
     * /data/lifeline.mv.db}), {@code ~} standing for the user's home as in H2; null in memory.
     */
    static @Nullable Path h2File(String url) {
        if (!isH2Embedded(url) || startsWithIgnoreCase(h2Location(url), "mem:")) {
            return null;
        }
        String location = h2Location(url);
        String path = startsWithIgnoreCase(location, "file:") ? location.substring("file:".length()) : location;
        if (path.equals("~") || path.startsWith("~/")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path);
    }

    private static String h2Location(String url) {
        String rest = url.substring(H2_PREFIX.length());
        int settings = rest.indexOf(';');
        return settings < 0 ? rest : rest.substring(0, settings);
    }

    static boolean isPostgres(String url) {
        return startsWithIgnoreCase(url, "jdbc:postgresql:");
    }

    /**
     * The URL the pool connects with: an H2 URL gains PostgreSQL compatibility settings it does not
     * set itself, and an in-memory one lives until the store shuts it down rather than until its
     * last connection closes. Other URLs are returned unchanged.
     */
    static String effective(String url) {
        if (!isH2(url)) {
            return url;
        }
        Set<String> present = settingNames(url);
        StringBuilder out = new StringBuilder(url);
        H2_SETTINGS.forEach((name, value) -> {
            if (!present.contains(name)) {
                out.append(';').append(name).append('=').append(value);
            }
        });
        if (isH2InMemory(url) && !present.contains("DB_CLOSE_DELAY")) {
            out.append(";DB_CLOSE_DELAY=-1");
        }
        return out.toString();
    }

    private static Set<String> settingNames(String url) {
        Set<String> names = new TreeSet<>();
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String name = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            names.add(name.trim().toUpperCase(Locale.ROOT));
        }
        return names;
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
