package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkspaceMountTest {
    private static final String VOLUME = "ws-id-workspace";

    @Test
    void withoutAHostDirectoryTheWorkspaceGetsItsOwnVolumeWhateverTheAccess() {
        for (WorkspaceAccess access : WorkspaceAccess.values()) {
            assertThat(WorkspaceMount.select(null, access, VOLUME).toBind().toString())
                    .isEqualTo("ws-id-workspace:/workspace:rw");
            assertThat(WorkspaceMount.select("", access, VOLUME).hostDirectory())
                    .isFalse();
        }
    }

    @Test
    void accessNoneIgnoresTheHostDirectory() {
        assertThat(WorkspaceMount.select("/srv/repo", WorkspaceAccess.NONE, VOLUME))
                .isEqualTo(new WorkspaceMount(VOLUME, false, false));
    }

    @Test
    void readOnlyAccessMountsTheHostDirectoryReadOnly() {
        assertThat(WorkspaceMount.select("/srv/repo", WorkspaceAccess.READ_ONLY, VOLUME)
                        .toBind()
                        .toString())
                .isEqualTo("/srv/repo:/workspace:ro");
    }

    @Test
    void readWriteAccessMountsTheHostDirectoryWritable() {
        assertThat(WorkspaceMount.select("/srv/repo", WorkspaceAccess.READ_WRITE, VOLUME)
                        .toBind()
                        .toString())
                .isEqualTo("/srv/repo:/workspace:rw");
    }

    @Test
    void accessToTheHostDirectoryNeedsOneToBeConfigured() {
        assertThatCode(() -> WorkspaceMount.validate(null, WorkspaceAccess.NONE))
                .doesNotThrowAnyException();
        assertThatCode(() -> WorkspaceMount.validate("/srv/repo", WorkspaceAccess.READ_ONLY))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> WorkspaceMount.validate(null, WorkspaceAccess.READ_ONLY))
                .hasMessageContaining("read_only needs a host workspace directory");
        assertThatThrownBy(() -> WorkspaceMount.validate(" ", WorkspaceAccess.READ_WRITE))
                .hasMessageContaining("read_write needs a host workspace directory");
    }

    @Test
    void accessIsParsedFromItsWireNamesOnly() {
        assertThat(WorkspaceAccess.parse("read_only")).isEqualTo(WorkspaceAccess.READ_ONLY);
        assertThat(WorkspaceAccess.parse("none")).isEqualTo(WorkspaceAccess.NONE);
        assertThatThrownBy(() -> WorkspaceAccess.parse("rw")).hasMessageContaining("none, read_only or read_write");
    }
}
