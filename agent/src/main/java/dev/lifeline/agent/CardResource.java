package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The agent card over HTTP, with the caching headers of A2A 1.0 §8.6: {@code Cache-Control} with a
 * {@code max-age}, a strong {@code ETag} of the bytes served, and {@code Last-Modified} (when the
 * agent started, as the card never changes while it runs). A request whose {@code If-None-Match}
 * names the current ETag, or else whose {@code If-Modified-Since} is not older than the card, gets a
 * 304 without a body.
 *
 * <p>The 0.3 card goes to the legacy path and to requests that ask for A2A 0.3 explicitly; every
 * other request, including one naming no version, gets the 1.0 card, so that a validating 1.0 client
 * sees only 1.0 fields. Hence {@code Vary: A2A-Version}.
 */
final class CardResource {

    /** How long a client may reuse the card: short, as a restarted agent may be on another port. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final Variant current;
    private final Variant legacy;
    private final String lastModified;
    private final Instant modified;

    /** One shape of the card: its bytes and their ETag. */
    private static final class Variant {
        private final byte[] body;
        private final String etag;

        Variant(byte[] body, String etag) {
            this.body = body;
            this.etag = etag;
        }
    }

    CardResource(JsonNode current, JsonNode legacy, Instant modified, Json json) {
        this.current = variant(json.write(current));
        this.legacy = variant(json.write(legacy));
        this.modified = modified.truncatedTo(ChronoUnit.SECONDS);
        this.lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(this.modified.atZone(ZoneOffset.UTC));
    }

    /** Answers a GET for the card; {@code legacyPath} is true for {@code /.well-known/agent.json}. */
    int serve(HttpExchange exchange, boolean legacyPath) throws IOException {
        Headers request = exchange.getRequestHeaders();
        Variant variant = legacyPath || asksForLegacy(request.getFirst(Negotiation.VERSION_HEADER)) ? legacy : current;
        Headers response = exchange.getResponseHeaders();
        response.set("Cache-Control", "public, max-age=" + MAX_AGE.toSeconds());
        response.set("ETag", variant.etag);
        response.set("Last-Modified", lastModified);
        response.set("Vary", Negotiation.VERSION_HEADER);
        if (notModified(request, variant)) {
            exchange.sendResponseHeaders(304, -1);
            return 304;
        }
        response.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, variant.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(variant.body);
        }
        return 200;
    }

    private boolean notModified(Headers request, Variant variant) {
        String ifNoneMatch = request.getFirst("If-None-Match");
        if (ifNoneMatch != null) {
            return Arrays.stream(ifNoneMatch.split(","))
                    .map(tag -> tag.strip().replaceFirst("^W/", ""))
                    .anyMatch(tag -> tag.equals("*") || tag.equals(variant.etag));
        }
        Instant since = httpDate(request.getFirst("If-Modified-Since"));
        return since != null && !modified.isAfter(since);
    }

    private static boolean asksForLegacy(@Nullable String version) {
        if (version == null || version.isBlank()) {
            return false;
        }
        try {
            return Negotiation.version(version).equals("0.3");
        } catch (JsonRpcException e) {
            return false;
        }
    }

    private static @Nullable Instant httpDate(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Variant variant(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Variant(body, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
