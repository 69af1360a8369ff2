package dev.lifeline.backend.controlplane;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control plane's authentication headers. Provision routes carry the shared secret as bearer
 * token, admin routes the admin API key; both carry the tenant's admin token. An empty secret is
 * never sent as an empty header.
 */
record AuthHeaders(String sharedSecret, String tenantToken, String adminApiKey) {
    static final String TENANT_HEADER = "X-Molecule-Admin-Token";

    static AuthHeaders of(ControlPlaneConfig config) {
        return new AuthHeaders(config.sharedSecret(), config.tenantToken(), config.adminApiKey());
    }

    /** For {@code /cp/workspaces/*}. */
    Map<String, String> provision() {
        return headers(sharedSecret);
    }

    /** For {@code /cp/admin/*}. */
    Map<String, String> admin() {
        return headers(adminApiKey);
    }

    private Map<String, String> headers(String bearer) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!bearer.isEmpty()) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        if (!tenantToken.isEmpty()) {
            headers.put(TENANT_HEADER, tenantToken);
        }
        return headers;
    }

    @Override
    public String toString() {
        return "AuthHeaders[<redacted>]";
    }
}
