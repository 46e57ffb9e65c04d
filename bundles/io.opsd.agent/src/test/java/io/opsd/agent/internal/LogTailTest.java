package io.opsd.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class LogTailTest {

    @Test
    void keepsTheLastLinesOldestFirstWithoutLineBreaks() {
        LogTail tail = new LogTail(3);
        for (String line : List.of("one\n", "two\r\n", "three", "four\n")) {
            remember(tail, line);
        }

        assertEquals(List.of("two", "three", "four"), LogTail.decode(tail.lines()));
    }

    @Test
    void cutsLongLinesAndReplacesBytesThatAreNotUtf8() {
        LogTail tail = new LogTail(2);
        remember(tail, "L".repeat(LogTail.LINE_BYTES + 10) + "\n");
        byte[] bad = {'b', 'a', 'd', ' ', (byte) 0xff, '\n'};
        tail.remember(bad, 0, bad.length);

        List<String> lines = LogTail.decode(tail.lines());
        assertEquals("L".repeat(LogTail.LINE_BYTES), lines.get(0));
        assertEquals("bad \uFFFD", lines.get(1));
    }

    @Test
    void keepsOnlyPartOfALongerBufferAndNothingWithoutCapacity() {
        LogTail tail = new LogTail(1);
        byte[] buffer = "xxline\nyy".getBytes(UTF_8);
        tail.remember(buffer, 2, 5);
        assertEquals(List.of("line"), LogTail.decode(tail.lines()));

        LogTail none = new LogTail(0);
        remember(none, "lost\n");
        assertEquals(List.of(), none.lines());
        assertThrows(IllegalArgumentException.class, () -> new LogTail(-1));
    }

    private static void remember(LogTail tail, String line) {
        byte[] bytes = line.getBytes(UTF_8);
        tail.remember(bytes, 0, bytes.length);
    }
}
