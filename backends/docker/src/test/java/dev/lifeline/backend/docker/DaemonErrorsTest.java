package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class DaemonErrorsTest {

    @Test
    void aMissingContainerIsNotFound() {
        assertThat(DaemonErrors.isNotFound(new NotFoundException("Status 404"))).isTrue();
        assertThat(DaemonErrors.isNotFound(new RuntimeException("No such container: ws-abc123")))
                .isTrue();
        assertThat(DaemonErrors.isNotFound(new RuntimeException("container not found")))
                .isTrue();
    }

    @Test
    void transportAndTimeoutErrorsAreNeverNotFound() {
        for (String message : new String[] {
            "context deadline exceeded", "EOF", "connection refused", "i/o timeout", "", "Status 500: driver failed"
        }) {
            assertThat(DaemonErrors.isNotFound(new RuntimeException(message)))
                    .as(message)
                    .isFalse();
        }
        assertThat(DaemonErrors.isNotFound(new RuntimeException((String) null))).isFalse();
        assertThat(DaemonErrors.isNotFound(new UncheckedIOException(new ConnectException("Connection refused"))))
                .isFalse();
    }

    @Test
    void aMissingImageIsToldApartFromOtherCreateFailures() {
        assertThat(DaemonErrors.isImageNotFound("No such image: lifeline/agent:1"))
                .isTrue();
        assertThat(DaemonErrors.isImageNotFound("Status 404: image lifeline/agent:1 not found"))
                .isTrue();
        assertThat(DaemonErrors.isImageNotFound("network lifeline not found")).isFalse();
        assertThat(DaemonErrors.isImageNotFound("Conflict. The container name is already in use"))
                .isFalse();
        assertThat(DaemonErrors.isImageNotFound(null)).isFalse();
    }

    @Test
    void aRemovalAlreadyUnderWayIsRecognised() {
        assertThat(DaemonErrors.isRemovalInProgress("Status 409: removal of container 3f2a is already in progress"))
                .isTrue();
        assertThat(DaemonErrors.isRemovalInProgress("Status 409: container is paused"))
                .isFalse();
    }
}
