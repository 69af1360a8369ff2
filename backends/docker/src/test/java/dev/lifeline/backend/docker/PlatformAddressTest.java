package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformAddressTest {

    @Test
    void aLoopbackPlatformUrlBecomesTheHostAsSeenFromContainers() {
        assertThat(PlatformAddress.forContainers("http://127.0.0.1:8080"))
                .isEqualTo(new PlatformAddress("http://host.docker.internal:8080", true));
        assertThat(PlatformAddress.forContainers("http://localhost:8080/base"))
                .isEqualTo(new PlatformAddress("http://host.docker.internal:8080/base", true));
    }

    @Test
    void anyOtherPlatformUrlIsGivenAsItIs() {
        assertThat(PlatformAddress.forContainers("http://10.0.0.5:8080"))
                .isEqualTo(new PlatformAddress("http://10.0.0.5:8080", false));
        assertThat(PlatformAddress.forContainers("https://lifeline.example"))
                .isEqualTo(new PlatformAddress("https://lifeline.example", false));
    }
}
