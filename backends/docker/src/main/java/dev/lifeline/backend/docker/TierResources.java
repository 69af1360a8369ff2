package dev.lifeline.backend.docker;

import java.util.Map;

/**
 * The memory and CPU a tier's containers get.
 *
 * @param memoryMiB the hard memory limit in MiB
 * @param cpuShares CPU in Docker's shares, where 1024 is one whole CPU; applied as a hard cap
 */
public record TierResources(long memoryMiB, int cpuShares) {

    public TierResources {
        if (memoryMiB < 1 || cpuShares < 1) {
            throw new IllegalArgumentException("memory and cpu shares must be positive");
        }
    }

    /** The reference's defaults for tiers 2, 3 and 4; tier 1 has no cap. */
    public static Map<Integer, TierResources> defaults() {
        return Map.of(
                2, new TierResources(512, 1024),
                3, new TierResources(2048, 2048),
                4, new TierResources(4096, 4096));
    }

    long memoryBytes() {
        return memoryMiB * 1024 * 1024;
    }

    long nanoCpus() {
        return cpuShares * 1_000_000_000L / 1024;
    }
}
