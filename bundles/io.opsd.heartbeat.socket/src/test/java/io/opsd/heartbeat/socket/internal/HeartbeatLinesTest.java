package io.opsd.heartbeat.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HeartbeatLinesTest {

    private final List<Long> dropped = new ArrayList<>();

    @Test
    void linesAreSplitOnNewlinesWithTheirCarriageReturnAndBlankLinesSkipped() throws IOException {
        assertEquals(List.of("{\"pid\":1}", "{\"pid\":2}", "{\"pid\":3}"),
            lines("{\"pid\":1}\n\n  \t\r\n{\"pid\":2}\r\n{\"pid\":3}", 100));
        assertEquals(List.of(), lines("", 100));
        assertEquals(List.of(), lines("\n \n", 100));
        assertEquals(List.of(), dropped);
    }

    @Test
    void aLineOverTheLimitIsDroppedAndTheNextLinesAreRead() throws IOException {
        String longLine = "x".repeat(20_000); // longer than the 8 KiB read buffer too
        assertEquals(List.of("{\"pid\":1}", "{\"pid\":2}"),
            lines("{\"pid\":1}\n" + longLine + "\n{\"pid\":2}\n" + longLine, 10_000));
        assertEquals(List.of(20_000L, 20_000L), dropped, "both long lines, the last one without its newline");
    }

    @Test
    void aLineOfExactlyTheLimitIsKept() throws IOException {
        assertEquals(List.of("12345", "6"), lines("12345\n123456\n6", 5));
        assertEquals(List.of(6L), dropped);
    }

    @Test
    void aLineArrivingInPiecesIsOneLine() throws IOException {
        byte[] bytes = "{\"pid\":42}\n".getBytes(StandardCharsets.UTF_8);
        InputStream oneByteAtATime = new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        HeartbeatLines lines = new HeartbeatLines(oneByteAtATime, 100, dropped::add);
        assertEquals("{\"pid\":42}", new String(lines.next(), StandardCharsets.UTF_8));
        assertEquals(null, lines.next());
    }

    private List<String> lines(String text, int maxLine) throws IOException {
        HeartbeatLines lines = new HeartbeatLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            maxLine, dropped::add);
        List<String> out = new ArrayList<>();
        for (byte[] line; (line = lines.next()) != null; ) {
            out.add(new String(line, StandardCharsets.UTF_8));
        }
        return out;
    }
}
