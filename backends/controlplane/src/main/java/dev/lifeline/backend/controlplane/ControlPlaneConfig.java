package dev.lifeline.backend.controlplane;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Configuration of the control-plane backend.
 *
 * @param baseUrl the control plane's base URL; the API lives under {@code /cp/...}
 * @param orgId the organisation (tenant) every provision is made for
 * @param sharedSecret bearer token of the provision routes ({@code /cp/workspaces/*}); empty sends none
 * @param tenantToken the tenant's admin token, sent as {@code X-Molecule-Admin-Token} on every route;
 *     empty sends none
 * @param adminApiKey bearer token of the admin routes ({@code /cp/admin/*}); empty means the shared secret
 * @param stateDir where this server remembers the instances it provisioned
 * @param serverId this Lifeline server's instance id, written into every agent's environment
 * @param provisionTimeout the longest a provision call may take (the control plane boots a VM)
 * @param callTimeout the longest a status, terminate or console call may take
 * @param probeConcurrency how many status calls one sweep makes at once
 */
public record ControlPlaneConfig(
        URI baseUrl,
        String orgId,
        String sharedSecret,
        String tenantToken,
        String adminApiKey,
        Path stateDir,
        String serverId,
        Duration provisionTimeout,
        Duration callTimeout,
        int probeConcurrency) {

    public ControlPlaneConfig {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
        }
        if (orgId.isBlank()) {
            throw new IllegalArgumentException("orgId must not be blank");
        }
        if (serverId.isBlank()) {
            throw new IllegalArgumentException("serverId must not be blank");
        }
        requirePositive("provisionTimeout", provisionTimeout);
        requirePositive("callTimeout", callTimeout);
        if (probeConcurrency < 1) {
            throw new IllegalArgumentException("probeConcurrency must be at least 1, was " + probeConcurrency);
        }
        if (adminApiKey.isEmpty()) {
            adminApiKey = sharedSecret;
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** The base URL without a trailing slash, so paths can be appended. */
    String base() {
        String text = baseUrl.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Never shows a secret, only whether it is set. */
    @Override
    public String toString() {
        return "ControlPlaneConfig[baseUrl=" + baseUrl + ", orgId=" + orgId + ", sharedSecret=" + shown(sharedSecret)
                + ", tenantToken=" + shown(tenantToken) + ", adminApiKey=" + shown(adminApiKey) + ", stateDir="
                + stateDir + ", serverId=" + serverId + ", provisionTimeout=" + provisionTimeout + ", callTimeout="
                + callTimeout + ", probeConcurrency=" + probeConcurrency + "]";
    }

    private static String shown(String secret) {
        return secret.isEmpty() ? "<none>" : "<set>";
    }
}
