package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.WorkspaceId;
import org.junit.jupiter.api.Test;

class ContainerNamesTest {
    private final WorkspaceId id = WorkspaceId.parse("0123abcd-4567-89ef-0123-456789abcdef");

    @Test
    void theContainerIsWsAndTheFirstTwelveCharactersOfTheId() {
        assertThat(ContainerNames.container(id)).isEqualTo("ws-0123abcd-456");
    }

    @Test
    void volumesAreNamedByTheWholeIdSoTwoWorkspacesNeverShareOne() {
        assertThat(ContainerNames.configVolume(id)).isEqualTo("ws-0123abcd-4567-89ef-0123-456789abcdef-configs");
        assertThat(ContainerNames.workspaceVolume(id)).isEqualTo("ws-0123abcd-4567-89ef-0123-456789abcdef-workspace");
    }
}
