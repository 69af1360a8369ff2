package dev.lifeline.testkit.controlplane;

/** A way the fake control plane can misbehave, on one route or all of them. */
public enum Failure {
    /** 401 with a JSON body that claims success (a running instance, an instance id). */
    UNAUTHORIZED(401),
    /** 404 with a JSON body that claims success. */
    NOT_FOUND(404),
    /** 500 with a JSON body that claims success. */
    SERVER_ERROR(500),
    /** 502 with a JSON body that claims success. */
    BAD_GATEWAY(502),
    /** 503 with a JSON body that claims success. */
    UNAVAILABLE(503),
    /** 200 (201 for provision) with an HTML page instead of JSON. */
    HTML_BODY(200),
    /** Never answers, until the failure is cleared or the fake closed. */
    HANG(0),
    /** The correct answer, followed by 128 KiB of padding after the JSON value. */
    PADDED_JSON(0);

    /**
     * A credential-looking string every failure body contains, so tests can check that no body ever
     * reaches an error message or a log.
     */
    public static final String BODY_MARKER = "cp-body-secret-7f3a9c";

    private final int status;

    Failure(int status) {
        this.status = status;
    }

    /** The HTTP status this failure answers with; 0 when it depends on the route. */
    public int status() {
        return status;
    }
}
