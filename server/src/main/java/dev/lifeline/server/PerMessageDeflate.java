package dev.lifeline.server;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * RFC 7692's {@code permessage-deflate} as the edge's {@code /ws} speaks it. The server compresses
 * every message on its own ({@code server_no_context_takeover}), so an event is compressed once and
 * the same bytes go to every subscriber that accepted the extension, as the plain frame does to the
 * others. Subscribers send nothing but control frames, which are never compressed, so nothing is
 * ever inflated here. An offer is accepted unless it asks for a window smaller than the JDK's
 * deflater keeps ({@code server_max_window_bits} below 15) or names a parameter the RFC does not.
 */
final class PerMessageDeflate {
    static final String NAME = "permessage-deflate";
    /** The {@code Sec-WebSocket-Extensions} of a 101 that accepts an offer. */
    static final String ACCEPTED = NAME + "; server_no_context_takeover";

    /** Every deflated message ends with an empty stored block, which the RFC has the sender leave out (7.2.1). */
    private static final int FLUSH_TAIL = 4;

    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

    private PerMessageDeflate() {}

    /** Whether one of the offers in the client's {@code Sec-WebSocket-Extensions} headers can be accepted. */
    static boolean offered(List<String> extensionHeaders) {
        for (String header : extensionHeaders) {
            for (String offer : header.split(",")) {
                if (acceptable(offer)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean acceptable(String offer) {
        String[] parts = offer.split(";");
        if (!parts[0].strip().equalsIgnoreCase(NAME)) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
            String[] nameValue = parameter.split("=", 2);
            String name = nameValue[0].strip().toLowerCase(Locale.ROOT);
            String value = nameValue.length == 2 ? unquoted(nameValue[1]) : null;
            boolean known =
                    switch (name) {
                        case "server_no_context_takeover", "client_no_context_takeover" -> value == null;
                        case "server_max_window_bits" -> "15".equals(value);
                        case "client_max_window_bits" -> value == null || windowBits(value);
                        default -> false;
                    };
            if (!known || !seen.add(name)) {
                return false;
            }
        }
        return true;
    }

    private static String unquoted(String value) {
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static boolean windowBits(String value) {
        return value.matches("[89]|1[0-5]");
    }

    /** One message's payload compressed on its own, as a frame with RSV1 set carries it. */
    static byte[] deflate(byte[] payload) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length / 2 + 16);
        byte[] chunk = new byte[Math.max(64, payload.length / 2 + 16)];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        byte[] flushed = out.toByteArray();
        return Arrays.copyOf(flushed, flushed.length - FLUSH_TAIL);
    }
}
