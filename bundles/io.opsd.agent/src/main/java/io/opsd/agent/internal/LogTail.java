package io.opsd.agent.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of an agent's output, for its status: a ring of at most {@code capacity} lines, each without its
 * line break and cut at {@link #LINE_BYTES}. Not thread-safe: the lock of its {@link AgentLog} guards it.
 */
final class LogTail {

    /** Longest line kept; longer lines are cut there (the file has them whole). */
    static final int LINE_BYTES = 8 * 1024;

    private final byte[][] lines;
    private int next;
    private int size;

    LogTail(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("tailLines must not be negative: " + capacity);
        }
        this.lines = new byte[capacity][];
    }

    /** Keeps a line, with its {@code '\n'} or {@code "\r\n"} if it has one, in place of the oldest. */
    void remember(byte[] bytes, int offset, int length) {
        if (lines.length == 0) {
            return;
        }
        int end = offset + length;
        while (end > offset && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] line = new byte[Math.min(end - offset, LINE_BYTES)];
        System.arraycopy(bytes, offset, line, 0, line.length);
        lines[next] = line;
        next = (next + 1) % lines.length;
        size = Math.min(size + 1, lines.length);
    }

    /** The lines kept, oldest first, as they were written. */
    List<byte[]> lines() {
        List<byte[]> oldestFirst = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            oldestFirst.add(lines[Math.floorMod(next - size + i, lines.length)]);
        }
        return oldestFirst;
    }

    /** Decodes lines as UTF-8 with replacement; done outside the lock. */
    static List<String> decode(List<byte[]> lines) {
        List<String> decoded = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            decoded.add(new String(line, StandardCharsets.UTF_8));
        }
        return List.copyOf(decoded);
    }
}
