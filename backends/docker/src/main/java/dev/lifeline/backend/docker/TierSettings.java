package dev.lifeline.backend.docker;

import com.github.dockerjava.api.model.HostConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a workspace's tier means for its container (the reference's tier table). Tier 0 and any
 * unknown value mean tier 2. Unlike the reference, tier 4 keeps the container on Lifeline's
 * network with its published port instead of host networking, so its URL works and two tier-4
 * agents do not fight over port 8000.
 *
 * @param resources memory and CPU cap; null means uncapped
 * @param tmpfs a private {@code /tmp} with these mount options; null means none
 */
record TierSettings(
        int tier,
        @Nullable TierResources resources,
        boolean mountsWorkspace,
        boolean readOnlyRoot,
        @Nullable String tmpfs,
        boolean privileged,
        boolean hostPid,
        boolean dockerSocket) {

    static final String SANDBOX_TMPFS = "rw,noexec,nosuid,size=64m";
    static final String DOCKER_SOCKET = "/var/run/docker.sock";

    static TierSettings of(int requested, Map<Integer, TierResources> resources) {
        return switch (requested) {
            case 1 -> new TierSettings(1, null, false, true, SANDBOX_TMPFS, false, false, false);
            case 3 -> new TierSettings(3, resources.get(3), true, false, null, true, true, false);
            case 4 -> new TierSettings(4, resources.get(4), true, false, null, true, true, true);
            default -> new TierSettings(2, resources.get(2), true, false, null, false, false, false);
        };
    }

    void applyTo(HostConfig host) {
        if (resources != null) {
            host.withMemory(resources.memoryBytes()).withNanoCPUs(resources.nanoCpus());
        }
        if (readOnlyRoot) {
            host.withReadonlyRootfs(true);
        }
        if (tmpfs != null) {
            host.withTmpFs(Map.of("/tmp", tmpfs));
        }
        if (privileged) {
            host.withPrivileged(true);
        }
        if (hostPid) {
            host.withPidMode("host");
        }
    }
}
