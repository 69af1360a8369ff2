package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImagePlatformTest {

    @Test
    void parsesOsAndArchitectureAtTheFirstSlash() {
        assertThat(ImagePlatform.parse("linux/amd64")).contains(new ImagePlatform("linux", "amd64"));
        assertThat(ImagePlatform.parse(" linux/arm64/v8 ")).contains(new ImagePlatform("linux", "arm64/v8"));
        assertThat(ImagePlatform.parse("linux/arm64/v8").orElseThrow()).hasToString("linux/arm64/v8");
    }

    @Test
    void withoutBothPartsThereIsNoPreference() {
        assertThat(ImagePlatform.parse("")).isEmpty();
        assertThat(ImagePlatform.parse("linux")).isEmpty();
        assertThat(ImagePlatform.parse("linux/")).isEmpty();
        assertThat(ImagePlatform.parse("/amd64")).isEmpty();
    }

    @Test
    void anArmMacForcesLinuxAmd64AndEveryOtherHostLetsTheDaemonChoose() {
        assertThat(ImagePlatform.automatic("Mac OS X", "aarch64")).contains(new ImagePlatform("linux", "amd64"));
        assertThat(ImagePlatform.automatic("Mac OS X", "x86_64")).isEmpty();
        assertThat(ImagePlatform.automatic("Linux", "aarch64")).isEmpty();
        assertThat(ImagePlatform.automatic("Linux", "amd64")).isEmpty();
    }
}
