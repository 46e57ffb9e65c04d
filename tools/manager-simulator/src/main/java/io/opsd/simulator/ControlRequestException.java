package io.opsd.simulator;

/** A control request that cannot be carried out; the HTTP status and the message go back to the caller. */
final class ControlRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    ControlRequestException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    int httpStatus() {
        return httpStatus;
    }
}
