package io.opsd.store.internal;

/** A store file that cannot be read back: truncated, empty, not JSON, or not an agent's state. */
final class CorruptFileException extends Exception {

    private static final long serialVersionUID = 1L;

    CorruptFileException(String message) {
        super(message);
    }

    CorruptFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
