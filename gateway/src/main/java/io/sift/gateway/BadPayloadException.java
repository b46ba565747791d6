package io.sift.gateway;

/**
 * A request the gateway refuses: answered with a 4xx status, counted by its error kind, and its body dead-lettered
 * with the message.
 */
public final class BadPayloadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorKind;

    public BadPayloadException(int status, String errorKind, String message) {
        super(message);
        this.status = status;
        this.errorKind = errorKind;
    }

    public BadPayloadException(String errorKind, String message) {
        this(400, errorKind, message);
    }

    /** HTTP status to answer with: 400, 413 or 415. */
    public int status() {
        return status;
    }

    /** Machine-readable reason, e.g. MALFORMED_JSON; the dead letter's errorKind. */
    public String errorKind() {
        return errorKind;
    }
}
