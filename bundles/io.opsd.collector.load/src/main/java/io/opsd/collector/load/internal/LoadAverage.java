package io.opsd.collector.load.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of {@code /proc/loadavg}, such as {@code 0.52 0.58 0.59 2/1234 56789}. The kernel counts tasks:
 * every thread of every process, kernel threads included, is one scheduling entity.
 *
 * @param load1 runnable and uninterruptible tasks, averaged over 1 minute
 * @param load5 the same over 5 minutes
 * @param load15 the same over 15 minutes
 * @param runnable tasks runnable at the moment of the read, the reading thread included
 * @param tasks all tasks (threads) on the host
 */
record LoadAverage(double load1, double load5, double load15, long runnable, long tasks) {

    static LoadAverage read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        String[] fields = text.split(" ");
        int slash = fields.length >= 4 ? fields[3].indexOf('/') : -1;
        if (slash < 0) {
            throw malformed(file, text, null);
        }
        try {
            return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2]), Long.parseLong(fields[3].substring(0, slash)),
                Long.parseLong(fields[3].substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw malformed(file, text, e);
        }
    }

    private static IOException malformed(Path file, String text, Exception cause) {
        return new IOException(file + " reads \"" + text + "\", not \"load1 load5 load15 runnable/total lastpid\"",
            cause);
    }
}
