package dev.lifeline.proxy;

import dev.lifeline.core.Verdict;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table that maps a failed forward and the supervisor's verdict to the caller's answer
 * (design §6). Upstream answers other than 502/503/504 never get here: they are relayed as-is.
 */
final class Outcomes {
    private Outcomes() {}

    /** The agent answered 502, 503 or 504: only proven death replaces its answer. */
    static Optional<ProxyReply.Refused> upstreamError(Verdict verdict) {
        return switch (verdict) {
            case DEAD_RESTARTING -> Optional.of(restarting());
            case DEAD, ALIVE, UNKNOWN -> Optional.empty();
        };
    }

    /** The call failed below HTTP (refused, reset, timeout). */
    static ProxyReply.Refused transportFailure(Verdict verdict, IOException error) {
        return switch (verdict) {
            case DEAD_RESTARTING -> restarting();
            case DEAD ->
                ProxyReply.Refused.of(
                        503,
                        body("workspace agent is down and will not be restarted automatically; restart it", false));
            case ALIVE, UNKNOWN -> busyShaped(error) ? busy() : unreachable();
        };
    }

    static ProxyReply.Refused restarting() {
        Map<String, Object> body = body("workspace agent unreachable — restart in progress, retry shortly", true);
        body.put("retry_after", ProxyConfig.RESTART_RETRY_AFTER);
        return new ProxyReply.Refused(
                503, body, Map.of("Retry-After", String.valueOf(ProxyConfig.RESTART_RETRY_AFTER)));
    }

    /** A hibernated workspace was asked for; it is being woken. */
    static ProxyReply.Refused waking() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "workspace is waking from hibernation — retry in ~15 seconds");
        body.put("waking", true);
        body.put("retry_after", ProxyConfig.RESTART_RETRY_AFTER);
        return new ProxyReply.Refused(
                503, body, Map.of("Retry-After", String.valueOf(ProxyConfig.RESTART_RETRY_AFTER)));
    }

    static ProxyReply.Refused busy() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "workspace agent busy — retry after a short backoff");
        body.put("busy", true);
        body.put("retry_after", ProxyConfig.BUSY_RETRY_AFTER);
        return new ProxyReply.Refused(503, body, Map.of("Retry-After", String.valueOf(ProxyConfig.BUSY_RETRY_AFTER)));
    }

    static ProxyReply.Refused unreachable() {
        return ProxyReply.Refused.of(502, Map.of("error", "failed to reach workspace agent"));
    }

    /** The agent answered a call with 101: A2A calls are never upgraded to another protocol. */
    static ProxyReply.Refused switchedProtocols() {
        return ProxyReply.Refused.of(
                502,
                Map.of(
                        "error",
                        "workspace agent tried to switch protocols (101) instead of answering the call",
                        "hint",
                        "an A2A call is answered over HTTP; fix the agent's endpoint"));
    }

    /**
     * Header timeouts, EOFs and dropped connections (reset, broken pipe) from an agent that is alive
     * mean it is overloaded, not dead. Judged by the failure's type: a refused or unroutable
     * connection is never busy, whatever its message says.
     */
    static boolean busyShaped(IOException error) {
        if (error instanceof HttpTimeoutException || error instanceof EOFException) {
            return true;
        }
        return error instanceof SocketException
                && !(error instanceof ConnectException
                        || error instanceof NoRouteToHostException
                        || error instanceof PortUnreachableException);
    }

    private static Map<String, Object> body(String error, boolean restarting) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("restarting", restarting);
        return body;
    }
}
