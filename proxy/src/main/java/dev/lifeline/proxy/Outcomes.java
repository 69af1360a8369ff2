package dev.lifeline.proxy;

import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceStatus;
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
 * The one table of the answers Lifeline gives for itself (design §6): a call it refuses before
 * dispatch (size, policy, budget, the target's state), and a failed forward judged with the
 * supervisor's verdict. The agent's own answers never get here: they are relayed as they are, and
 * an upstream 502/503/504 is replaced only when the agent is proven dead.
 */
final class Outcomes {
    private Outcomes() {}

    static ProxyReply.Refused requestTooLarge(int maxBytes) {
        return ProxyReply.Refused.of(
                413, Map.of("error", "request body exceeds the " + (maxBytes >> 10) + " KiB limit"));
    }

    static ProxyReply.Refused notFound() {
        return ProxyReply.Refused.of(404, Map.of("error", "workspace not found"));
    }

    /**
     * Why a calling workspace may not call anyone: a paused, failed or removed workspace has no
     * business calling, whatever process still holds its token.
     */
    static Optional<ProxyReply.Refused> callerUnable(WorkspaceStatus status) {
        return switch (status) {
            case PAUSED, FAILED, REMOVED -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "caller workspace is " + status.wire());
                body.put("status", status.wire());
                yield Optional.of(ProxyReply.Refused.of(403, body));
            }
            case PROVISIONING, AWAITING_AGENT, ONLINE, DEGRADED, OFFLINE, HIBERNATED -> Optional.empty();
        };
    }

    static ProxyReply.Refused hierarchyDenied() {
        return ProxyReply.Refused.of(
                403, Map.of("error", "access denied: workspaces cannot communicate per hierarchy rules"));
    }

    static ProxyReply.Refused overBudget() {
        return ProxyReply.Refused.of(402, Map.of("error", "workspace budget limit exceeded"));
    }

    /** Why a workspace cannot take a call right now, answered from its status alone. */
    static Optional<ProxyReply.Refused> unavailable(Workspace w) {
        if (w.status().routable() && w.endpoint().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(
                switch (w.status()) {
                    case PROVISIONING, OFFLINE -> restarting();
                    case AWAITING_AGENT, ONLINE, DEGRADED ->
                        withStatus(503, "workspace agent has not registered a URL yet; retry shortly", w);
                    case FAILED ->
                        withStatus(
                                503,
                                "workspace failed: "
                                        + (w.failureReason() == null ? "unknown reason" : w.failureReason())
                                        + "; restart it with POST /workspaces/" + w.id() + "/restart",
                                w);
                    case PAUSED -> withStatus(409, "workspace is paused; resume it first", w);
                    case HIBERNATED -> withStatus(503, "workspace is hibernated", w);
                    case REMOVED -> withStatus(404, "workspace not found", w);
                });
    }

    /** The agent's answer passed the response cap; the exchange was aborted. */
    static ProxyReply.Refused answerTooLarge(int maxBytes) {
        return ProxyReply.Refused.of(
                502, Map.of("error", "agent response exceeds the " + (maxBytes >> 20) + " MiB limit"));
    }

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

    /** The agent could not take the call now; it waits in the workspace's queue. */
    static ProxyReply.Refused queued(long queueId, int depth) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queued", true);
        body.put("queue_id", queueId);
        body.put("queue_depth", depth);
        body.put("message", "workspace agent busy — request queued, will dispatch when capacity available");
        return ProxyReply.Refused.of(202, body);
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

    private static ProxyReply.Refused withStatus(int status, String error, Workspace w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("status", w.status().wire());
        return ProxyReply.Refused.of(status, body);
    }

    private static Map<String, Object> body(String error, boolean restarting) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("restarting", restarting);
        return body;
    }
}
