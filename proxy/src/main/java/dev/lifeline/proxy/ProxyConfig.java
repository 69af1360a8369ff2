package dev.lifeline.proxy;

import java.time.Duration;

/**
 * Limits and timeouts of the A2A proxy.
 *
 * @param connectTimeout TCP connect (and, for https, TLS handshake) to the agent
 * @param responseHeaderTimeout time until the agent's response headers arrive; there is no overall
 *     timeout, so a streamed body may last as long as the agent keeps it going
 */
public record ProxyConfig(
        Duration connectTimeout, Duration responseHeaderTimeout, int maxRequestBytes, int maxResponseBytes) {

    public static final ProxyConfig DEFAULTS =
            new ProxyConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 1 << 20, 10 << 20);

    /** Seconds a caller should wait before retrying a restarting workspace. */
    public static final int RESTART_RETRY_AFTER = 15;

    /** Seconds a caller should wait before retrying a busy workspace. */
    public static final int BUSY_RETRY_AFTER = 30;
}
