package dev.lifeline.backend.controlplane;

import dev.lifeline.core.StartSpec;
import dev.lifeline.core.WorkspaceId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Configurations and specs for tests against the fake control plane. */
final class TestConfigs {
    static final String SHARED_SECRET = "shared-secret-123";
    static final String TENANT_TOKEN = "tenant-token-456";
    static final String ADMIN_KEY = "admin-api-key-789";
    static final String ORG = "org-42";

    private TestConfigs() {}

    static ControlPlaneConfig config(String url, Path stateDir) {
        return config(url, stateDir, SHARED_SECRET, TENANT_TOKEN, ADMIN_KEY);
    }

    static ControlPlaneConfig config(String url, Path stateDir, String secret, String tenant, String adminKey) {
        return new ControlPlaneConfig(
                URI.create(url),
                ORG,
                secret,
                tenant,
                adminKey,
                stateDir,
                "server-1",
                Duration.ofSeconds(5),
                Duration.ofMillis(1500),
                4);
    }

    static StartSpec spec(WorkspaceId id, long generation, String token) {
        return new StartSpec(
                id,
                generation,
                "agent",
                "echo",
                2,
                "http://127.0.0.1:8080",
                Map.of("WORKSPACE_AUTH_TOKEN", token, "HEARTBEAT_INTERVAL_SECONDS", "30"));
    }
}
