package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageNameTest {

    @Test
    void anImageWithoutATagIsPulledAsLatestNotAsEveryTag() {
        assertThat(Containers.ImageName.parse("ghcr.io/org/agent"))
                .isEqualTo(new Containers.ImageName("ghcr.io/org/agent", "latest"));
        assertThat(Containers.ImageName.parse("localhost:5000/agent"))
                .isEqualTo(new Containers.ImageName("localhost:5000/agent", "latest"));
    }

    @Test
    void tagsAndDigestsAreKept() {
        assertThat(Containers.ImageName.parse("localhost:5000/agent:1.2"))
                .isEqualTo(new Containers.ImageName("localhost:5000/agent", "1.2"));
        assertThat(Containers.ImageName.parse("agent@sha256:abc"))
                .isEqualTo(new Containers.ImageName("agent", "sha256:abc"));
    }
}
