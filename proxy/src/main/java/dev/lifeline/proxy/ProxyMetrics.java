package dev.lifeline.proxy;

import java.time.Duration;

/** What the proxy measures; the server binds it to Micrometer. */
@FunctionalInterface
public interface ProxyMetrics {
    ProxyMetrics NONE = (outcome, took) -> {};

    /** A call was answered with {@code outcome} (e.g. {@code relayed_2xx}, {@code restarting}). */
    void answered(String outcome, Duration took);

    /**
     * A call began to wait for its workspace's next incarnation, because the workspace was {@code
     * restarting} or {@code waking}, or because its connection was {@code refused} by a dead agent.
     */
    default void held(String cause) {}

    /**
     * A call stopped waiting after {@code waited} in all: {@code forwarded} to the new incarnation,
     * or given up for a reason ({@code window}, {@code deadline}, {@code preference}, {@code
     * capacity}, {@code failed}, {@code paused}, {@code removed}, {@code caller_gone}).
     */
    default void holdEnded(String result, Duration waited) {}
}
