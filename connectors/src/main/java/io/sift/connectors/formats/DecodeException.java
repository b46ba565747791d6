package io.sift.connectors.formats;

/** Bytes that are not of the topic's format: the dead letter's kind and reason. */
public final class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String errorKind;

    public DecodeException(String errorKind, String message, Throwable cause) {
        super(message, cause);
        this.errorKind = errorKind;
    }

    public DecodeException(String errorKind, String message) {
        this(errorKind, message, null);
    }

    public String errorKind() {
        return errorKind;
    }
}
