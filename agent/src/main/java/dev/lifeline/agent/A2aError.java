package dev.lifeline.agent;

/**
 * The A2A-specific errors this agent answers, with their JSON-RPC codes (A2A 1.0 §5.4); the enum
 * name is the {@code ErrorInfo.reason} (§10.6: the error type in upper snake case without "Error").
 */
enum A2aError {
    TASK_NOT_FOUND(-32001),
    TASK_NOT_CANCELABLE(-32002),
    PUSH_NOTIFICATION_NOT_SUPPORTED(-32003),
    UNSUPPORTED_OPERATION(-32004),
    CONTENT_TYPE_NOT_SUPPORTED(-32005),
    VERSION_NOT_SUPPORTED(-32009);

    /** The {@code ErrorInfo.domain} of every A2A error. */
    static final String DOMAIN = "a2a-protocol.org";

    private final int code;

    A2aError(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
