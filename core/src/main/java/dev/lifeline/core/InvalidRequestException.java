package dev.lifeline.core;

/** A request Lifeline cannot act on, with what was wrong and what to do instead. */
public final class InvalidRequestException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    public InvalidRequestException(String error, String hint) {
        super(error);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
