package dev.lifeline.proxy;

import java.time.Duration;

/** What the proxy measures; the server binds it to Micrometer. */
@FunctionalInterface
public interface ProxyMetrics {
    ProxyMetrics NONE = (outcome, took) -> {};

    /** A call was answered with {@code outcome} (e.g. {@code relayed_2xx}, {@code restarting}). */
    void answered(String outcome, Duration took);
}
