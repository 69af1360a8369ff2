package dev.lifeline.backend.controlplane;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.Liveness;
import dev.lifeline.core.Redaction;
import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The control plane's four routes, each turned into Lifeline's terms. Messages of the exceptions
 * thrown here carry the route and the HTTP status, never a response body, which could echo
 * credentials; the one exception is the {@code error} field of a failed provision, which is the
 * control plane's message to the operator, clipped and with every known secret removed.
 */
final class ControlPlaneApi {
    static final String NAME = "controlplane";
    private static final int ERROR_FIELD_LIMIT = 200;

    private final ControlPlaneConfig config;
    private final Exchange exchange;
    private final AuthHeaders auth;
    private final Redaction credentials;

    ControlPlaneApi(ControlPlaneConfig config, Exchange exchange) {
        this.config = config;
        this.exchange = exchange;
        this.auth = AuthHeaders.of(config);
        this.credentials = Redaction.ofValues(
                java.util.List.of(config.sharedSecret(), config.tenantToken(), config.adminApiKey()));
    }

    /** {@code POST /cp/workspaces/provision}; the instance id on 201, an exception otherwise. */
    InstanceRef provision(StartSpec spec, Map<String, String> env) {
        Exchange.Answer answer;
        try {
            answer = exchange.call(
                    "provision",
                    "POST",
                    uri("/cp/workspaces/provision"),
                    auth.provision(),
                    CpJson.provisionBody(config.orgId(), spec, env),
                    config.provisionTimeout(),
                    Exchange.BODY_LIMIT);
        } catch (Exchange.Unanswered e) {
            throw new BackendException(
                    NAME, "cannot send the provision of workspace " + spec.id() + ": " + e.getMessage(), e);
        }
        byte[] body = answer.body().data();
        if (answer.status() != 201) {
            throw new BackendException(
                    NAME,
                    "provision of workspace " + spec.id() + " failed (" + answer.status() + "): " + reason(body, env));
        }
        String instanceId =
                CpJson.field(body, "instance_id").filter(s -> !s.isBlank()).orElse("");
        if (instanceId.isEmpty()) {
            throw new BackendException(
                    NAME, "provision of workspace " + spec.id() + " answered 201 without an instance_id");
        }
        return new InstanceRef(instanceId);
    }

    private String reason(byte[] body, Map<String, String> env) {
        return CpJson.field(body, "error")
                .map(error -> clip(credentials.and(Redaction.of(env)).apply(error)))
                .orElse("<unstructured body, " + body.length + " bytes>");
    }

    private static String describe(BoundedBody.Bytes body) {
        return body.cut()
                ? "more than " + body.data().length + " bytes, not read further"
                : "an undecodable body of " + body.data().length + " bytes";
    }

    private static String clip(String text) {
        return text.length() <= ERROR_FIELD_LIMIT ? text : text.substring(0, ERROR_FIELD_LIMIT) + "…";
    }

    /** {@code DELETE /cp/workspaces/{id}?instance_id=}; 2xx and 404 (already gone) are success. */
    void terminate(WorkspaceId id, InstanceRef ref) {
        Exchange.Answer answer;
        try {
            answer = exchange.call(
                    "terminate",
                    "DELETE",
                    instanceUri(id, "", ref),
                    auth.provision(),
                    "",
                    config.callTimeout(),
                    Exchange.BODY_LIMIT);
        } catch (Exchange.Unanswered e) {
            throw new BackendException(
                    NAME, "cannot stop instance " + ref + " of workspace " + id + ": " + e.getMessage(), e);
        }
        if (!answer.ok() && answer.status() != 404) {
            throw new BackendException(
                    NAME, "stopping instance " + ref + " of workspace " + id + " failed (" + answer.status() + ")");
        }
    }

    /**
     * {@code GET /cp/workspaces/{id}/status?instance_id=}: the instance's state as {@link Liveness};
     * anything but a 2xx JSON object with a string {@code state} is {@link Liveness.Unknown}.
     */
    Liveness status(WorkspaceId id, InstanceRef ref) {
        Exchange.Answer answer;
        try {
            answer = exchange.call(
                    "status",
                    "GET",
                    instanceUri(id, "/status", ref),
                    auth.provision(),
                    "",
                    config.callTimeout(),
                    Exchange.BODY_LIMIT);
        } catch (Exchange.Unanswered e) {
            return Liveness.unknown(e.getMessage());
        }
        if (!answer.ok()) {
            return Liveness.unknown("status of instance " + ref + " answered " + answer.status());
        }
        return CpJson.field(answer.body().data(), "state")
                .map(InstanceStates::liveness)
                .orElseGet(() -> Liveness.unknown("status of instance " + ref + " answered " + answer.status()
                        + " without a readable state (" + describe(answer.body()) + ")"));
    }

    /** {@code GET /cp/admin/workspaces/{id}/console}: the VM's console output, at most 256 KiB of it. */
    String console(WorkspaceId id) {
        Exchange.Answer answer;
        try {
            answer = exchange.call(
                    "console",
                    "GET",
                    uri("/cp/admin/workspaces/" + id + "/console"),
                    auth.admin(),
                    "",
                    config.callTimeout(),
                    Exchange.CONSOLE_LIMIT);
        } catch (Exchange.Unanswered e) {
            throw new BackendException(NAME, "cannot read the console of workspace " + id + ": " + e.getMessage(), e);
        }
        if (!answer.ok()) {
            throw new BackendException(
                    NAME, "reading the console of workspace " + id + " failed (" + answer.status() + ")");
        }
        return CpJson.field(answer.body().data(), "output")
                .orElseThrow(() -> new BackendException(
                        NAME, "the console of workspace " + id + " answered without a readable output field"));
    }

    private URI instanceUri(WorkspaceId id, String suffix, InstanceRef ref) {
        return uri("/cp/workspaces/" + id + suffix + "?instance_id="
                + URLEncoder.encode(ref.value(), StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create(config.base() + path);
    }

    /** Removes the control plane's own credentials from {@code text}. */
    Redaction credentials() {
        return credentials;
    }
}
