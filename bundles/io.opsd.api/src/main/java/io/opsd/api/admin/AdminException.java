package io.opsd.api.admin;

import java.util.Objects;

/** A refused administration call: the {@link Code} a transport answers with, and a message naming the problem. */
public final class AdminException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The answer, named as the gRPC status codes the wire contract uses. */
    public enum Code {
        UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, NOT_FOUND,
        ABORTED, UNAVAILABLE
    }

    private final Code code;

    public AdminException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public AdminException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public Code code() {
        return code;
    }
}
