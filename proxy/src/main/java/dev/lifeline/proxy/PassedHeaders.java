package dev.lifeline.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpFields;

/**
 * The headers that cross the proxy, in each direction; every other header stays on its side.
 *
 * <p>To the agent go the headers that say what the call is and how the caller reads the answer:
 * the A2A protocol headers, the content headers of the body (which arrives byte for byte) and the
 * caller's {@code Accept} and {@code Accept-Encoding}. {@code Authorization} and cookies are the
 * caller's credentials for Lifeline, and {@code X-Workspace-ID} and {@code X-Timeout} are requests to
 * Lifeline; none of them reach the agent.
 *
 * <p>Back to the caller go the headers that describe the agent's answer: its content headers, its
 * caching headers, {@code Retry-After}, and the A2A protocol headers. Hop-by-hop headers and the
 * framing ({@code Content-Length}, {@code Transfer-Encoding}) are each connection's own; {@code
 * Set-Cookie} would land on Lifeline's origin, where the dashboard's session lives, and {@code
 * WWW-Authenticate} would ask the caller for the agent's credentials, which Lifeline never passes on.
 */
public final class PassedHeaders {
    /** The caller's headers that reach the agent. */
    public static final List<String> REQUEST =
            List.of("A2A-Version", "A2A-Extensions", "Content-Type", "Content-Encoding", "Accept", "Accept-Encoding");

    /** The agent's headers that reach the caller. */
    static final List<String> RESPONSE = List.of(
            "Content-Type",
            "Content-Encoding",
            "Content-Language",
            "Cache-Control",
            "ETag",
            "Last-Modified",
            "Expires",
            "Vary",
            "Retry-After",
            "A2A-Version",
            "A2A-Extensions");

    /** A passing response header's place in {@link #RESPONSE}, by its name in any casing. */
    private static final Map<String, Integer> RESPONSE_PLACE = responsePlaces();

    private PassedHeaders() {}

    private static Map<String, Integer> responsePlaces() {
        Map<String, Integer> places = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < RESPONSE.size(); i++) {
            places.put(RESPONSE.get(i), i);
        }
        return Collections.unmodifiableMap(places);
    }

    /** The agent's headers that pass back, as {@link #fromAgentHeaders} reads them, from Jetty's fields. */
    static Map<String, String> fromAgent(HttpFields agent) {
        return fromAgentHeaders(() -> agent.stream()
                .map(field -> Map.entry(field.getName(), field.getValue()))
                .iterator());
    }

    /**
     * The agent's headers that pass back, each under its name in {@link #RESPONSE} with all its
     * values joined as one, read in one pass over the agent's headers, which are few.
     *
     * @param agent the agent's response headers, each value as its own entry, in the order sent
     */
    public static Map<String, String> fromAgentHeaders(Iterable<Map.Entry<String, String>> agent) {
        String[] joined = new String[RESPONSE.size()];
        for (Map.Entry<String, String> header : agent) {
            Integer place = RESPONSE_PLACE.get(header.getKey());
            if (place != null) {
                String before = joined[place];
                joined[place] = before == null ? header.getValue() : before + ", " + header.getValue();
            }
        }
        Map<String, String> passed = new LinkedHashMap<>();
        for (int i = 0; i < joined.length; i++) {
            if (joined[i] != null) {
                passed.put(RESPONSE.get(i), joined[i]);
            }
        }
        return passed;
    }
}
