package dev.lifeline.core;

/**
 * The root of every exception Lifeline throws on purpose. Subtypes name what failed and carry
 * context in fields; the HTTP edge maps each subtype to a status and a JSON body, and never shows
 * a client the message of anything else.
 */
public abstract class LifelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected LifelineException(String message) {
        super(message);
    }

    protected LifelineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Never null: every Lifeline exception is built with a message. */
    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
