package dev.lifeline.proxy;

import java.nio.charset.StandardCharsets;

/**
 * Lifeline's own lines in an agent's event stream, the same on both ways: a comment that keeps a
 * silent stream open through edge proxies with idle limits, written only between events, and the
 * JSON-RPC error event that ends a stream the agent broke or Lifeline cut off. A compressed stream
 * gets neither, since nothing can be spliced into its bytes.
 */
public final class StreamLines {
    /** The comment written into a stream silent for the keep-alive interval. */
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private int tail;
    private int seen;

    /** Whether the stream's bytes so far end between events: none yet, or a blank line last. */
    public boolean betweenEvents() {
        return seen == 0 || (tail & 0xffff) == 0x0a0a || (seen >= 3 && tail == 0x0a0d0a);
    }

    /** Takes the stream's next byte; only the last few matter, so a caller may pass a chunk's last three. */
    public void saw(byte b) {
        tail = ((tail << 8) | (b & 0xff)) & 0xffffff;
        seen = Math.min(seen + 1, 3);
    }

    /** Takes the end of the stream's next chunk. */
    void saw(byte[] chunk) {
        for (int i = Math.max(0, chunk.length - 3); i < chunk.length; i++) {
            saw(chunk[i]);
        }
    }

    /** The last event of a stream Lifeline cut off: its deadline passed or its agent stayed silent. */
    static byte[] cutOff(String requestId, CallLimits.Cutoff cutoff) {
        return errorEvent(
                requestId,
                cutoff == CallLimits.Cutoff.IDLE
                        ? "workspace agent went silent for the whole idle window; the stream was cut"
                        : "the call's deadline passed; the stream was cut",
                false);
    }

    /** The last event of a stream the agent broke, saying whether its restart began. */
    static byte[] broken(String requestId, boolean restarting) {
        return errorEvent(
                requestId,
                restarting
                        ? "workspace agent died mid-stream — restart in progress, retry shortly"
                        : "workspace agent stream broke",
                restarting);
    }

    private static byte[] errorEvent(String requestId, String message, boolean restarting) {
        String event = "data: {\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"error\":{\"code\":-32603,\"message\":\""
                + message + "\",\"data\":{\"restarting\":" + restarting + "}}}\n\n";
        return event.getBytes(StandardCharsets.UTF_8);
    }
}
