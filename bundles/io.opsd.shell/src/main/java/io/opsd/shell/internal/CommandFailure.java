package io.opsd.shell.internal;

/** A command could not do what was asked; the message is the one line the operator reads after {@code opsd: }. */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message, null, false, false);
    }

    /** What the console shows: this failure's message after {@code opsd: }. */
    CommandFailure reported() {
        return new CommandFailure("opsd: " + getMessage());
    }

    static CommandFailure noAgent(String id) {
        return new CommandFailure("no agent \"" + id + "\"");
    }
}
