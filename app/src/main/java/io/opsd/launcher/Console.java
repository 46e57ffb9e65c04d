package io.opsd.launcher;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The launcher's own messages, before the framework's logging exists and after it has stopped; written to
 * standard error in the same layout as the node's log lines.
 */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final PrintStream err;

    Console(PrintStream err) {
        this.err = err;
    }

    void info(String message) {
        write("INFO ", message);
    }

    void warn(String message) {
        write("WARN ", message);
    }

    void error(String message) {
        write("ERROR", message);
    }

    private synchronized void write(String level, String message) {
        err.println(OffsetDateTime.now().format(TIME) + " " + level + " [" + Thread.currentThread().getName()
            + "] io.opsd.launcher - " + message);
        err.flush();
    }
}
