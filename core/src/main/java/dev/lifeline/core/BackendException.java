package dev.lifeline.core;

/** A backend failed to do what was asked (start, stop); the message is for logs, not clients. */
public final class BackendException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final String backend;

    public BackendException(String backend, String message) {
        super(backend + ": " + message);
        this.backend = backend;
    }

    public BackendException(String backend, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
