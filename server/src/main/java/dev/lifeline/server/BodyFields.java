package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.TooLargeException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of the fields of one JSON request body. An absent field and a JSON {@code null} read
 * as null; a field of the wrong type or out of its range is a 400, and text over its size a 413,
 * each naming the field (with its path, inside a nested object) and the bound.
 */
final class BodyFields {
    private final JsonNode body;
    private final String hint;
    private final String path;

    BodyFields(JsonNode body, String hint) {
        this(body, hint, "");
    }

    private BodyFields(JsonNode body, String hint, String path) {
        this.body = body;
        this.hint = hint;
        this.path = path;
    }

    /** Whether the field is in the body at all, as a value or as {@code null}. */
    boolean sent(String field) {
        return body.has(field);
    }

    /** A string of at most {@code maxChars} characters. */
    @Nullable
    String text(String field, int maxChars) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field, "must be a string");
        }
        String s = v.asText();
        if (s.length() > maxChars) {
            throw invalid(field, "must be at most " + maxChars + " characters");
        }
        return s;
    }

    /** A string of at most {@code maxChars} characters without line breaks. */
    @Nullable
    String line(String field, int maxChars) {
        String s = text(field, maxChars);
        if (s != null && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
            throw invalid(field, "must not contain line breaks");
        }
        return s;
    }

    /** A single-line string that must be sent and not be blank. */
    String required(String field, int maxChars) {
        String s = line(field, maxChars);
        if (s == null || s.isBlank()) {
            throw invalid(field, "is required and must be a string");
        }
        return s;
    }

    /** A string of at most {@code maxBytes} bytes in UTF-8; a longer one is a 413. */
    @Nullable
    String textOfBytes(String field, int maxBytes) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field, "must be a string");
        }
        String s = v.asText();
        requireSize(field, s.getBytes(StandardCharsets.UTF_8).length, maxBytes);
        return s;
    }

    /** A JSON object whose text is at most {@code maxBytes} bytes; a larger one is a 413. */
    @Nullable
    JsonNode object(String field, int maxBytes) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw invalid(field, "must be a JSON object");
        }
        requireSize(field, Json.write(v).getBytes(StandardCharsets.UTF_8).length, maxBytes);
        return v;
    }

    /** The fields of a nested object (see {@link #object}), named by their path in messages. */
    BodyFields nested(JsonNode object, String field) {
        return new BodyFields(object, hint, path + field + ".");
    }

    @Nullable
    Boolean bool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw invalid(field, "must be true or false");
        }
        return v.booleanValue();
    }

    /** A whole number from {@code min} to {@code max}; a fraction, a string or a larger number is refused. */
    @Nullable
    Long whole(String field, long min, long max) {
        return whole(field, min, max, "must be a whole number from " + min + " to " + max, hint);
    }

    /** As {@link #whole(String, long, long)}, refused with {@code problem} and {@code fieldHint}. */
    @Nullable
    Long whole(String field, long min, long max, String problem, String fieldHint) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new InvalidRequestException(path + field + " " + problem, fieldHint);
        }
        return v.longValue();
    }

    /** A finite number from {@code min} to {@code max}. */
    @Nullable
    Double number(String field, double min, double max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        double d = v.asDouble();
        if (!v.isNumber() || !Double.isFinite(d) || d < min || d > max) {
            throw invalid(field, "must be a number from " + plain(min) + " to " + plain(max));
        }
        return d;
    }

    /** {@code 1} rather than {@code 1.0} in a message. */
    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A refusal of {@code field}: {@code "<path.field> <problem>"}, with this body's hint. */
    InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException(path + field + " " + problem, hint);
    }

    private void requireSize(String field, int bytes, int maxBytes) {
        if (bytes > maxBytes) {
            throw new TooLargeException(
                    path + field + " is " + bytes + " bytes; the limit is " + maxBytes + " bytes",
                    "send a shorter " + path + field);
        }
    }

    private @Nullable JsonNode value(String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
