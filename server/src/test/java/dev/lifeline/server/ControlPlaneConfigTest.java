package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control-plane backend's configuration: its keys, the reference's names, and the checks. */
class ControlPlaneConfigTest {

    private static LifelineConfig read(Map<String, String> env) {
        return LifelineConfig.from(env);
    }

    private static Map<String, String> controlPlane(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("LIFELINE_BACKEND", "controlplane"));
        env.putAll(more);
        return env;
    }

    @Test
    void theProcessBackendAloneNeedsNoControlPlane() {
        assertThat(read(Map.of()).controlPlane()).isEmpty();
    }

    @Test
    void readsItsOwnKeys() {
        ControlPlaneSettings cp = read(controlPlane(Map.of(
                        "LIFELINE_CP_URL", "https://cp.example.com",
                        "LIFELINE_CP_ORG_ID", "org-1",
                        "LIFELINE_CP_SHARED_SECRET", "shared-1",
                        "LIFELINE_CP_TENANT_TOKEN", "tenant-1",
                        "LIFELINE_CP_ADMIN_API_KEY", "admin-1",
                        "LIFELINE_CP_PROBE_CONCURRENCY", "4")))
                .controlPlane()
                .orElseThrow();

        assertThat(cp.url()).hasToString("https://cp.example.com");
        assertThat(cp.orgId()).isEqualTo("org-1");
        assertThat(cp.sharedSecret()).isEqualTo("shared-1");
        assertThat(cp.tenantToken()).isEqualTo("tenant-1");
        assertThat(cp.adminApiKey()).isEqualTo("admin-1");
        assertThat(cp.probeConcurrency()).isEqualTo(4);
        assertThat(cp.provisionTimeout()).hasSeconds(120);
        assertThat(cp.callTimeout()).hasSeconds(10);
    }

    @Test
    void acceptsTheReferencesNames() {
        ControlPlaneSettings cp = read(controlPlane(Map.of(
                        "MOLECULE_CP_URL", "https://cp.example.com",
                        "MOLECULE_ORG_ID", "org-1",
                        "PROVISION_SHARED_SECRET", "shared-1",
                        "ADMIN_TOKEN", "tenant-1",
                        "CP_ADMIN_API_TOKEN", "admin-1")))
                .controlPlane()
                .orElseThrow();

        assertThat(cp.url()).hasToString("https://cp.example.com");
        assertThat(cp.orgId()).isEqualTo("org-1");
        assertThat(cp.sharedSecret()).isEqualTo("shared-1");
        assertThat(cp.tenantToken()).isEqualTo("tenant-1");
        assertThat(cp.adminApiKey()).isEqualTo("admin-1");
    }

    @Test
    void theReferencesOrderOfPrecedenceHolds() {
        ControlPlaneSettings cp = read(controlPlane(Map.of(
                        "CP_PROVISION_URL", "https://provision.example.com",
                        "MOLECULE_CP_URL", "https://cp.example.com",
                        "MOLECULE_ORG_ID", "org-1",
                        "MOLECULE_CP_SHARED_SECRET", "first",
                        "PROVISION_SHARED_SECRET", "second")))
                .controlPlane()
                .orElseThrow();

        assertThat(cp.url()).hasToString("https://provision.example.com");
        assertThat(cp.sharedSecret()).isEqualTo("first");
    }

    @Test
    void aControlPlaneUrlAloneAddsTheBackendNextToTheDefaultOne() {
        LifelineConfig config = read(Map.of("LIFELINE_CP_URL", "http://127.0.0.1:9", "MOLECULE_ORG_ID", "org-1"));

        assertThat(config.backend()).isEqualTo("process");
        assertThat(config.controlPlane()).isPresent();
    }

    @Test
    void withoutAUrlTheMessageNamesTheKeys() {
        assertThatThrownBy(() -> read(controlPlane(Map.of("MOLECULE_ORG_ID", "org-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_CP_URL")
                .hasMessageContaining("MOLECULE_CP_URL");
    }

    @Test
    void withoutAnOrganisationTheMessageNamesTheKeys() {
        assertThatThrownBy(() -> read(controlPlane(Map.of("LIFELINE_CP_URL", "https://cp.example.com"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_CP_ORG_ID")
                .hasMessageContaining("MOLECULE_ORG_ID");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingTheKeyItCameFrom() {
        assertThatThrownBy(() -> read(controlPlane(Map.of("CP_PROVISION_URL", "ftp://cp", "MOLECULE_ORG_ID", "o"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CP_PROVISION_URL must be an absolute http(s) URL");
    }

    @Test
    void badNumbersNameTheirKey() {
        assertThatThrownBy(() -> read(controlPlane(Map.of(
                        "LIFELINE_CP_URL", "https://cp.example.com",
                        "MOLECULE_ORG_ID", "org-1",
                        "LIFELINE_CP_CALL_TIMEOUT_SECONDS", "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_CP_CALL_TIMEOUT_SECONDS");
    }

    @Test
    void secretsAreNeverPrinted() {
        String shown = read(controlPlane(Map.of(
                        "LIFELINE_CP_URL", "https://cp.example.com",
                        "MOLECULE_ORG_ID", "org-1",
                        "MOLECULE_CP_SHARED_SECRET", "shared-s3cret",
                        "ADMIN_TOKEN", "tenant-s3cret",
                        "CP_ADMIN_API_TOKEN", "admin-s3cret")))
                .controlPlane()
                .orElseThrow()
                .toString();

        assertThat(shown).doesNotContain("s3cret").contains("<set>");
    }
}
