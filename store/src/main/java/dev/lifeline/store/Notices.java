package dev.lifeline.store;

import dev.lifeline.core.PayloadJson;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The text of the notices replicas exchange. An event notice is six lines: origin, event id (0 for
 * a broadcast-only event), wire name, workspace id, time in microseconds since the epoch, payload
 * JSON (empty when it was left out for size). A row notice is two: origin, workspace id. The
 * database trigger of {@link V10__Cluster_notices} writes the same format.
 */
final class Notices {
    /** The longest string value a trimmed payload keeps. */
    private static final int KEPT_STRING = 256;

    private Notices() {}

    /** An event as it arrived: {@code payloadJson} is empty when it was left out for size. */
    record EventNotice(String origin, long id, String type, WorkspaceId workspaceId, Instant at, String payloadJson) {}

    /** A row write as it arrived. */
    record RowNotice(String origin, WorkspaceId workspaceId) {}

    /**
     * The notice of a broadcast-only event, within {@code maxBytes}: when the whole payload does not
     * fit, only its numbers, booleans and short strings are kept, with {@code "truncated": true}.
     */
    static String broadcast(String origin, PublishedEvent published, int maxBytes) {
        String header = origin + "\n0\n" + published.event().type() + "\n"
                + published.event().workspaceId() + "\n" + ChronoUnit.MICROS.between(Instant.EPOCH, published.at())
                + "\n";
        int room = maxBytes - bytes(header);
        String payload = PayloadJson.write(published.event().payload());
        if (bytes(payload) > room) {
            payload = PayloadJson.write(trimmed(published.event().payload()));
        }
        if (bytes(payload) > room) {
            payload = PayloadJson.write(Map.of("truncated", true));
        }
        return header + payload;
    }

    private static Map<String, Object> trimmed(Map<String, Object> payload) {
        Map<String, Object> kept = new LinkedHashMap<>();
        payload.forEach((key, value) -> {
            boolean small = value instanceof Number
                    || value instanceof Boolean
                    || (value instanceof String s && s.length() <= KEPT_STRING);
            if (small) {
                kept.put(key, value);
            }
        });
        kept.put("truncated", true);
        return kept;
    }

    static Optional<EventNotice> event(String text) {
        String[] f = text.split("\n", 6);
        if (f.length < 6) {
            return Optional.empty();
        }
        try {
            Instant at = Instant.EPOCH.plus(Long.parseLong(f[4]), ChronoUnit.MICROS);
            return Optional.of(new EventNotice(
                    f[0], Long.parseLong(f[1]), f[2], new WorkspaceId(UUID.fromString(f[3])), at, f[5]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    static Optional<RowNotice> row(String text) {
        String[] f = text.split("\n", 2);
        if (f.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RowNotice(f[0], new WorkspaceId(UUID.fromString(f[1]))));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
