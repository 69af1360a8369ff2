package dev.lifeline.backend.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.jspecify.annotations.Nullable;

/**
 * What is mounted at {@code /workspace}: the host's workspace directory (read-only or read-write)
 * when one is configured and access allows it, otherwise the workspace's own named volume.
 *
 * @param source a host path or a volume name
 */
record WorkspaceMount(String source, boolean hostDirectory, boolean readOnly) {
    static final String TARGET = "/workspace";

    static WorkspaceMount select(@Nullable String hostPath, WorkspaceAccess access, String volumeName) {
        if (hostPath == null || hostPath.isBlank() || access == WorkspaceAccess.NONE) {
            return new WorkspaceMount(volumeName, false, false);
        }
        return new WorkspaceMount(hostPath, true, access == WorkspaceAccess.READ_ONLY);
    }

    /** Read-only and read-write access need a host directory to give access to. */
    static void validate(@Nullable String hostPath, WorkspaceAccess access) {
        if (access != WorkspaceAccess.NONE && (hostPath == null || hostPath.isBlank())) {
            throw new IllegalArgumentException(
                    "workspace access " + access.wireName() + " needs a host workspace directory");
        }
    }

    Bind toBind() {
        return new Bind(source, new Volume(TARGET), readOnly ? AccessMode.ro : AccessMode.rw);
    }
}
