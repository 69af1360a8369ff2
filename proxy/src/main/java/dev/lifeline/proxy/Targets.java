package dev.lifeline.proxy;

import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Why a workspace cannot take a call right now, answered from its status alone. */
final class Targets {
    private Targets() {}

    static Optional<ProxyReply.Refused> unavailable(Workspace w) {
        if (w.status().routable() && w.endpoint().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(
                switch (w.status()) {
                    case PROVISIONING, OFFLINE -> Outcomes.restarting();
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

    private static ProxyReply.Refused withStatus(int status, String error, Workspace w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("status", w.status().wire());
        return ProxyReply.Refused.of(status, body);
    }
}
