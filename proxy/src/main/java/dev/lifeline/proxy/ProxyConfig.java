package dev.lifeline.proxy;

import java.time.Duration;

/**
 * Limits and timeouts of the A2A proxy.
 *
 * @param connectTimeout establishing the connection to the agent; also the longest a TLS handshake
 *     may stall
 * @param responseHeaderTimeout time until the agent's response headers arrive; there is no overall
 *     timeout, so a streamed body may last as long as the agent keeps it going
 * @param idleTimeout a call is cut off when its target workspace emits no event for this long
 * @param agentCallCeiling the deadline of agent-to-agent calls that set no {@code X-Timeout}
 * @param keepAlive the longest silence on a relayed event stream before a keep-alive comment
 * @param deathSettle how long to wait before asking once more about an agent that dropped a
 *     connection but still ran at the first probe (it may be in the middle of exiting)
 * @param holds how long and how many calls wait for a restarting workspace's next incarnation
 */
public record ProxyConfig(
        Duration connectTimeout,
        Duration responseHeaderTimeout,
        Duration idleTimeout,
        Duration agentCallCeiling,
        Duration keepAlive,
        Duration deathSettle,
        int maxRequestBytes,
        int maxResponseBytes,
        HoldConfig holds) {

    public static final ProxyConfig DEFAULTS = new ProxyConfig(
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofSeconds(15),
            Duration.ofMillis(250),
            1 << 20,
            10 << 20,
            HoldConfig.DEFAULTS);

    /** Seconds a caller should wait before retrying a restarting workspace. */
    public static final int RESTART_RETRY_AFTER = 15;

    /** Seconds a caller should wait before retrying a busy workspace. */
    public static final int BUSY_RETRY_AFTER = 30;

    /** Settings with the default holds. */
    public ProxyConfig(
            Duration connectTimeout,
            Duration responseHeaderTimeout,
            Duration idleTimeout,
            Duration agentCallCeiling,
            Duration keepAlive,
            Duration deathSettle,
            int maxRequestBytes,
            int maxResponseBytes) {
        this(
                connectTimeout,
                responseHeaderTimeout,
                idleTimeout,
                agentCallCeiling,
                keepAlive,
                deathSettle,
                maxRequestBytes,
                maxResponseBytes,
                HoldConfig.DEFAULTS);
    }

    public ProxyConfig withIdleTimeout(Duration idle) {
        return new ProxyConfig(
                connectTimeout,
                responseHeaderTimeout,
                idle,
                agentCallCeiling,
                keepAlive,
                deathSettle,
                maxRequestBytes,
                maxResponseBytes,
                holds);
    }

    public ProxyConfig withKeepAlive(Duration interval) {
        return new ProxyConfig(
                connectTimeout,
                responseHeaderTimeout,
                idleTimeout,
                agentCallCeiling,
                interval,
                deathSettle,
                maxRequestBytes,
                maxResponseBytes,
                holds);
    }

    public ProxyConfig withHolds(HoldConfig newHolds) {
        return new ProxyConfig(
                connectTimeout,
                responseHeaderTimeout,
                idleTimeout,
                agentCallCeiling,
                keepAlive,
                deathSettle,
                maxRequestBytes,
                maxResponseBytes,
                newHolds);
    }
}
