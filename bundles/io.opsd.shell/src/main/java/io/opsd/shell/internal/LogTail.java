package io.opsd.shell.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of a log file, read backwards from its end in blocks, so a large log costs only what is shown. At
 * most {@link #MAX_BYTES} are read: an enormous last line is cut at its start.
 */
final class LogTail {

    static final int MAX_BYTES = 4 << 20;
    private static final int BLOCK = 8192;

    private LogTail() {
    }

    /** Throws {@link java.nio.file.NoSuchFileException} when there is no such file. */
    static List<String> lastLines(Path file, int count) throws IOException {
        try (SeekableByteChannel f = Files.newByteChannel(file)) {
            long end = f.size();
            long start = end;
            byte[] tail = new byte[0];
            // count + 1 line breaks: the one ending the file and the one before the first wanted line
            while (start > 0 && newlines(tail) <= count && tail.length < MAX_BYTES) {
                int size = (int) Math.min(BLOCK, start);
                start -= size;
                byte[] block = new byte[size + tail.length];
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, size);
                f.position(start);
                while (buffer.hasRemaining() && f.read(buffer) >= 0) {
                    // a file channel reads what is asked unless the file shrank meanwhile
                }
                System.arraycopy(tail, 0, block, size, tail.length);
                tail = block;
            }
            String text = new String(tail, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0); // began in the middle of a line
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        }
    }

    private static int newlines(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
