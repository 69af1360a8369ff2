package dev.lifeline.agent;

/** The agent's configuration is missing or invalid; the message names the variable to fix. */
public final class InvalidAgentConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    InvalidAgentConfigException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** The environment variable (or option) that is missing or invalid, e.g. {@code PORT}. */
    public String variable() {
        return variable;
    }
}
