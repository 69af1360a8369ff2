package dev.lifeline.core;

/** A request, or one field of it, larger than Lifeline accepts; the message names the field and its limit. */
public final class TooLargeException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    public TooLargeException(String error, String hint) {
        super(error);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
