package dev.lifeline.server;

import java.time.Duration;

/**
 * Every bound on what an operator or an agent sends, in one place. A value past its bound is refused
 * with an answer that names the field and the bound: {@code 413} for text over its size, {@code 400}
 * for anything out of range. Sizes of what agents send are in UTF-8 bytes, since they are what the
 * database and every event subscriber pay for.
 */
final class InputLimits {
    /** A heartbeat's {@code sample_error}: a message and a short stack trace. */
    static final int SAMPLE_ERROR_BYTES = 4 * 1024;
    /** A heartbeat's {@code current_task}: a line or two describing the task. */
    static final int CURRENT_TASK_BYTES = 1024;
    /** A registration's {@code agent_card}, as JSON text. */
    static final int AGENT_CARD_BYTES = 64 * 1024;
    /** A heartbeat's {@code runtime_metadata}, as JSON text. */
    static final int RUNTIME_METADATA_BYTES = 16 * 1024;
    /** An agent URL, registered by an agent or given for an external workspace. */
    static final int URL_CHARS = 2048;

    /** Heartbeat counters fit the 32-bit columns of the reference's schema. */
    static final int MAX_ACTIVE_TASKS = Integer.MAX_VALUE;

    static final long MAX_UPTIME_SECONDS = Integer.MAX_VALUE;
    /** Ten billion dollars, in cents: the reference's clamp, now a bound. */
    static final long MAX_MONTHLY_SPEND_CENTS = 1_000_000_000_000L;

    /**
     * The longest a call may be waited for: an {@code X-Timeout} and an agent's announced {@code
     * idle_timeout_seconds} both stay within it, so no deadline overflows.
     */
    static final Duration LONGEST_WAIT = Duration.ofDays(30);

    /** A workspace id is a UUID in its canonical form. */
    static final int ID_CHARS = 36;

    static final int NAME_CHARS = 255;
    static final int ROLE_CHARS = 1000;
    /** A runtime's or a backend's name. */
    static final int KIND_CHARS = 100;

    static final int MIN_TIER = 1;
    static final int MAX_TIER = 4;
    /** A year: a larger hibernation threshold is a mistake, not a policy. */
    static final int MAX_IDLE_MINUTES = 525_600;

    /** The {@code canvas} object of a create body, as JSON text: where to draw the node, two numbers. */
    static final int CANVAS_OBJECT_BYTES = 1024;
    /** A canvas coordinate, either way from the origin: far beyond any screen, well within a double. */
    static final double CANVAS_COORDINATE = 1e9;
    /** The canvas's zoom factor, out and in. */
    static final double MIN_ZOOM = 0.001;

    static final double MAX_ZOOM = 1000;

    private InputLimits() {}
}
