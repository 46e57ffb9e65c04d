package io.opsd.agent.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class LogStreamReaderTest {

    /** What the reader handed on: each line with "+LF" when a line break is to be added, and each flush. */
    private final List<String> events = new ArrayList<>();
    private final AtomicReference<LogStreamReader> ended = new AtomicReference<>();

    private final LogStreamReader.LineSink sink = new LogStreamReader.LineSink() {
        @Override
        public void writeLine(byte[] bytes, int offset, int length, boolean addLineBreak) {
            events.add(new String(bytes, offset, length, ISO_8859_1) + (addLineBreak ? "+LF" : ""));
        }

        @Override
        public void flush() {
            events.add("flush");
        }
    };

    @Test
    void handsOnWholeLinesAndFlushesWhenABurstEnds() {
        run(new ByteArrayInputStream("one\ntwo\r\n\nthree\n".getBytes(ISO_8859_1)));

        assertEquals(List.of("one\n", "two\r\n", "\n", "three\n", "flush", "flush"), events);
    }

    @Test
    void joinsALineReadInPiecesAndEndsALineCutByEof() {
        run(new TrickleStream("first line\nsecond\nno end", 3));

        // flushed only once nothing more is available, and at EOF
        assertEquals(List.of("first line\n", "second\n", "flush", "no end+LF", "flush"), events);
    }

    @Test
    void tellsWhenItHasDrained() throws InterruptedException {
        LogStreamReader reader = new LogStreamReader(InputStream.nullInputStream(), "stdout", "test", new Object(),
            sink, ended::set);
        assertFalse(reader.awaitDrained(0), "drained before it ran");

        reader.run();

        assertTrue(reader.awaitDrained(0));
        assertSame(reader, ended.get());
        assertEquals(List.of("flush"), events);
    }

    private void run(InputStream stream) {
        new LogStreamReader(stream, "stdout", "test", new Object(), sink, ended::set).run();
    }

    /** Returns at most {@code piece} bytes per read, so that lines arrive cut in the middle; the rest is available. */
    private static final class TrickleStream extends InputStream {
        private final byte[] bytes;
        private final int piece;
        private int next;

        TrickleStream(String text, int piece) {
            this.bytes = text.getBytes(ISO_8859_1);
            this.piece = piece;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xff : -1;
        }

        @Override
        public int available() {
            return bytes.length - next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (next == bytes.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, piece), bytes.length - next);
            System.arraycopy(bytes, next, buffer, offset, count);
            next += count;
            return count;
        }
    }
}
