package dev.lifeline.core;

/** The workspace store could not complete an operation. */
public final class StoreException extends LifelineException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
