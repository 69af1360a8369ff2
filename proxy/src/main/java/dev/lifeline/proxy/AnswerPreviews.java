package dev.lifeline.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lifeline.core.AnswerPreview;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds what an {@code A2A_RESPONSE} event carries of an agent's answer. An answer of at most
 * {@link #MAX_BYTES} that is exactly one JSON value goes in parsed; any other answer goes in as a
 * string, cut to its first {@link #MAX_BYTES} bytes when longer. So an answer can neither add
 * fields to the event around it nor be copied whole to every subscriber.
 */
final class AnswerPreviews {
    /** The most of one answer an event carries. */
    static final int MAX_BYTES = 4 * 1024;
    /** Deeper answers go in as text, well inside what the sinks' JSON writers accept. */
    private static final int MAX_DEPTH = 64;

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private AnswerPreviews() {}

    static AnswerPreview of(byte[] answer) {
        if (answer.length > MAX_BYTES) {
            return new AnswerPreview(prefix(answer, MAX_BYTES), answer.length, true);
        }
        Object body = parsed(answer).orElseGet(() -> new String(answer, StandardCharsets.UTF_8));
        return new AnswerPreview(body, answer.length, false);
    }

    /**
     * The answer's preview, made when first asked for: an event that nobody is shown costs no parse.
     * A longer answer is cut now, so what waits for the asking is never more than {@link #MAX_BYTES}.
     */
    static Supplier<AnswerPreview> whenAsked(byte[] answer) {
        if (answer.length > MAX_BYTES) {
            AnswerPreview cut = of(answer);
            return () -> cut;
        }
        return () -> of(answer);
    }

    /** The answer as one JSON value; empty when it is not exactly one, or is {@code null}. */
    private static Optional<Object> parsed(byte[] answer) {
        try {
            return Optional.ofNullable(STRICT.readValue(answer, Object.class));
        } catch (IOException notOneJsonValue) {
            return Optional.empty();
        }
    }

    /** The first {@code max} bytes or fewer as text, never cutting a UTF-8 sequence in two. */
    private static String prefix(byte[] text, int max) {
        int end = max;
        while (end > 0 && (text[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}
