package dev.lifeline.core;

/** Missing or wrong credentials (401), or valid credentials without the right (403). */
public final class UnauthorizedException extends LifelineException {
    private static final long serialVersionUID = 1L;
    private final boolean forbidden;

    private UnauthorizedException(String message, boolean forbidden) {
        super(message);
        this.forbidden = forbidden;
    }

    public static UnauthorizedException missing(String message) {
        return new UnauthorizedException(message, false);
    }

    public static UnauthorizedException forbidden(String message) {
        return new UnauthorizedException(message, true);
    }

    public boolean forbidden() {
        return forbidden;
    }
}
