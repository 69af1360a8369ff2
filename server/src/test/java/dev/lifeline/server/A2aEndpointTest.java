package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.InvalidRequestException;
import org.junit.jupiter.api.Test;

class A2aEndpointTest {

    @Test
    void servesExactlyTheA2aPathOfOneWorkspace() {
        assertThat(A2aEndpoint.workspaceOf("/workspaces/abc/a2a")).isEqualTo("abc");
        assertThat(A2aEndpoint.workspaceOf("/workspaces/abc/a2a/")).isEqualTo("abc");
    }

    @Test
    void leavesEveryOtherPathToTheApi() {
        assertThat(A2aEndpoint.workspaceOf("/workspaces//a2a")).isNull();
        assertThat(A2aEndpoint.workspaceOf("/workspaces/a2a")).isNull();
        assertThat(A2aEndpoint.workspaceOf("/workspaces/abc/def/a2a")).isNull();
        assertThat(A2aEndpoint.workspaceOf("/workspaces/abc/a2a/extra")).isNull();
        assertThat(A2aEndpoint.workspaceOf("/workspaces/abc")).isNull();
        assertThat(A2aEndpoint.workspaceOf("/health")).isNull();
    }

    @Test
    void xTimeoutIsWholeNonNegativeSeconds() {
        assertThat(A2aEndpoint.timeoutSeconds(null)).isZero();
        assertThat(A2aEndpoint.timeoutSeconds(" ")).isZero();
        assertThat(A2aEndpoint.timeoutSeconds(" 120 ")).isEqualTo(120);
        assertThatThrownBy(() -> A2aEndpoint.timeoutSeconds("-1")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> A2aEndpoint.timeoutSeconds("1.5"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("whole number of seconds");
    }
}
