package dev.lifeline.agent;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a JSON-RPC request must declare in its headers: a JSON content type and an A2A version this
 * agent speaks (A2A 1.0 §3.6, §9.1).
 */
final class Negotiation {

    static final String VERSION_HEADER = "A2A-Version";

    /** The versions this agent speaks, as {@code Major.Minor}; the first is assumed when none is named. */
    static final List<String> VERSIONS = List.of("0.3", "1.0");

    /** The request content types this agent reads. */
    static final List<String> CONTENT_TYPES = List.of("application/json", "application/a2a+json");

    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.\\d{1,4})?");

    private Negotiation() {}

    /**
     * Checks the request's content type; a request without one is read as JSON.
     *
     * @throws JsonRpcException content type not supported
     */
    static void requireJson(@Nullable String contentType) {
        if (contentType == null) {
            return;
        }
        String essence = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPES.contains(essence)) {
            throw JsonRpcException.of(
                    A2aError.CONTENT_TYPE_NOT_SUPPORTED,
                    "Content type " + Params.printable(contentType) + " is not supported; send application/json",
                    Map.of(
                            "contentType",
                            Params.printable(contentType),
                            "supported",
                            String.join(", ", CONTENT_TYPES)));
        }
    }

    /**
     * The version a request asks for, as {@code Major.Minor}; an absent or empty header means 0.3
     * and a patch number is ignored.
     *
     * @throws JsonRpcException version not supported
     */
    static String version(@Nullable String header) {
        String requested = header == null ? "" : header.strip();
        if (requested.isEmpty()) {
            return VERSIONS.getFirst();
        }
        Matcher matcher = VERSION.matcher(requested);
        if (matcher.matches()) {
            String majorMinor = Integer.parseInt(matcher.group(1)) + "." + Integer.parseInt(matcher.group(2));
            if (VERSIONS.contains(majorMinor)) {
                return majorMinor;
            }
        }
        throw JsonRpcException.of(
                A2aError.VERSION_NOT_SUPPORTED,
                "A2A version " + Params.printable(requested) + " is not supported; this agent speaks "
                        + String.join(" and ", VERSIONS),
                Map.of(
                        "requestedVersion",
                        Params.printable(requested),
                        "supportedVersions",
                        String.join(", ", VERSIONS)));
    }
}
