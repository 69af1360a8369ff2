package dev.lifeline.proxy;

import java.util.Map;

/** What the proxy answers a caller: the agent's own reply, a stream, or Lifeline's error. */
public sealed interface ProxyReply {

    /**
     * The agent's status and body, passed through intact (JSON-RPC errors included).
     *
     * @param headers the agent's headers that pass back with it ({@code Content-Encoding})
     */
    @SuppressWarnings("ArrayRecordComponent") // handed over once to the HTTP edge, never compared
    record Relayed(int status, String contentType, byte[] body, Map<String, String> headers) implements ProxyReply {
        public Relayed(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }
    }

    /**
     * A {@code text/event-stream} answer, relayed to the caller as it arrives.
     *
     * @param headers the agent's headers that pass back with it ({@code Content-Encoding})
     */
    record Streamed(int status, StreamRelay relay, Map<String, String> headers) implements ProxyReply {}

    /** An answer Lifeline composed: status, JSON body fields and extra headers. */
    record Refused(int status, Map<String, Object> body, Map<String, String> headers) implements ProxyReply {
        static Refused of(int status, Map<String, Object> body) {
            return new Refused(status, body, Map.of());
        }
    }
}
