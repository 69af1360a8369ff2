package dev.lifeline.server;

import java.net.URI;
import java.time.Duration;

/**
 * The control-plane backend's settings, read from {@code LIFELINE_CP_*} or the reference's names.
 *
 * @param url the control plane's base URL
 * @param orgId the organisation every workspace is provisioned for
 * @param sharedSecret bearer token of the provision routes; empty sends none
 * @param tenantToken the tenant's admin token ({@code X-Molecule-Admin-Token}); empty sends none
 * @param adminApiKey bearer token of the admin routes; empty means the shared secret
 */
public record ControlPlaneSettings(
        URI url,
        String orgId,
        String sharedSecret,
        String tenantToken,
        String adminApiKey,
        Duration provisionTimeout,
        Duration callTimeout,
        int probeConcurrency) {

    /** The configuration keys and, after each, the reference's names it also accepts. */
    static final String[] URL_KEYS = {"LIFELINE_CP_URL", "CP_PROVISION_URL", "MOLECULE_CP_URL"};

    static final String[] ORG_KEYS = {"LIFELINE_CP_ORG_ID", "MOLECULE_ORG_ID"};
    static final String[] SHARED_SECRET_KEYS = {
        "LIFELINE_CP_SHARED_SECRET", "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET"
    };
    static final String[] TENANT_TOKEN_KEYS = {"LIFELINE_CP_TENANT_TOKEN", "ADMIN_TOKEN"};
    static final String[] ADMIN_API_KEY_KEYS = {"LIFELINE_CP_ADMIN_API_KEY", "CP_ADMIN_API_TOKEN"};

    /** Never shows a secret, only whether it is set. */
    @Override
    public String toString() {
        return "ControlPlaneSettings[url=" + url + ", orgId=" + orgId + ", sharedSecret=" + shown(sharedSecret)
                + ", tenantToken=" + shown(tenantToken) + ", adminApiKey=" + shown(adminApiKey)
                + ", provisionTimeout=" + provisionTimeout + ", callTimeout=" + callTimeout + ", probeConcurrency="
                + probeConcurrency + "]";
    }

    private static String shown(String secret) {
        return secret.isEmpty() ? "<none>" : "<set>";
    }
}
