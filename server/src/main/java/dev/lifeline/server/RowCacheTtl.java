package dev.lifeline.server;

import dev.lifeline.proxy.A2aProxy;
import java.time.Duration;
import java.util.Map;

/**
 * {@code LIFELINE_ROW_CACHE_MILLIS}: how long the proxy may route by a cached workspace row that no
 * write has evicted (default {@link A2aProxy#ROW_TTL}). Writes evict at once, on every replica of
 * a shared database too; the limit only bounds what a lost change notice can cost.
 */
final class RowCacheTtl {
    static final String KEY = "LIFELINE_ROW_CACHE_MILLIS";

    private RowCacheTtl() {}

    static Duration from(Map<String, String> env) {
        String value = env.get(KEY);
        if (value == null || value.isBlank()) {
            return A2aProxy.ROW_TTL;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new ConfigException(KEY + " must be a whole number of milliseconds, 0 or more");
    }
}
