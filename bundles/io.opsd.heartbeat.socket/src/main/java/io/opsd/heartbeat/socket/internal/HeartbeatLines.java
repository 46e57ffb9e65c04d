package io.opsd.heartbeat.socket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Splits the socket's byte stream into its lines (contracts.md §4: one JSON object per line), without their
 * {@code \n} or {@code \r\n}. Blank lines are skipped. A line longer than the limit is dropped as it is read, so a
 * client that never sends a newline costs no more memory than the limit.
 */
final class HeartbeatLines {

    private final InputStream in;
    private final int maxLine;
    private final LongConsumer dropped;
    private final byte[] buffer = new byte[8192];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int position;
    private int limit;
    private long length;

    /** {@code dropped} is told the length of each line dropped for being longer than {@code maxLine} bytes. */
    HeartbeatLines(InputStream in, int maxLine, LongConsumer dropped) {
        this.in = in;
        this.maxLine = maxLine;
        this.dropped = dropped;
    }

    /** The next line that is not blank, or null at the end of the stream. */
    byte[] next() throws IOException {
        while (true) {
            boolean ended = position == limit && !fill();
            if (!ended && buffer[position] != '\n') {
                if (++length <= maxLine) {
                    line.write(buffer[position]);
                }
                position++;
                continue;
            }
            if (!ended) {
                position++;
            }
            byte[] complete = complete();
            if (complete != null || ended) {
                return complete;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** The line read so far, or null when it was too long or blank; what is read next is the next line. */
    private byte[] complete() {
        long read = length;
        byte[] bytes = line.toByteArray();
        length = 0;
        line.reset();
        if (read > maxLine) {
            dropped.accept(read);
            return null;
        }
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        for (int i = 0; i < end; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return Arrays.copyOf(bytes, end);
            }
        }
        return null;
    }
}
