package dev.lifeline.core;

/** The workspace is in a state where this request cannot be carried out now (409). */
public final class ConflictException extends LifelineException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
