package dev.lifeline.proxy;

import java.time.Duration;

/**
 * How long and how many calls may wait for a restarting workspace's next incarnation.
 *
 * @param window the longest a call waits; zero answers every such call at once
 * @param perWorkspace the most calls that wait for one workspace at a time
 * @param total the most calls that wait on this server at a time
 */
public record HoldConfig(Duration window, int perWorkspace, int total) {

    public static final HoldConfig DEFAULTS = new HoldConfig(Duration.ofSeconds(30), 100, 5000);

    public HoldConfig {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the hold window must not be negative");
        }
        if (perWorkspace < 1 || total < 1) {
            throw new IllegalArgumentException("hold caps must be positive");
        }
    }
}
