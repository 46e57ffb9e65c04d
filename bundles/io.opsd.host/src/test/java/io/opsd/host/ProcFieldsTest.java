package io.opsd.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcFieldsTest {

    @Test
    void findsFieldsBetweenBlanksWithinTheRange() {
        String line = "  eth0: 123 0\t 7  \n";
        int[] starts = new int[3];
        int[] ends = new int[3];
        assertEquals(3, ProcFields.split(line, 0, line.length(), starts, ends));
        assertEquals("eth0:", line.substring(starts[0], ends[0]));
        assertEquals("0", line.substring(starts[2], ends[2]));
        assertEquals(2, ProcFields.split("a b", 0, 3, new int[5], new int[5]));
        assertEquals(0, ProcFields.split("   ", 0, 3, starts, ends));
    }

    @Test
    void linesComeInOrderWithoutTheirNewlinesAndALastLineNeedsNone() {
        List<String> lines = new ArrayList<>();
        String text = "MemTotal: 1 kB\n\nMemFree: 2 kB";
        ProcFields.forEachLine(text, (from, to) -> lines.add(text.substring(from, to)));
        assertEquals(List.of("MemTotal: 1 kB", "", "MemFree: 2 kB"), lines);
        lines.clear();
        ProcFields.forEachLine("a\n", (from, to) -> lines.add("a\n".substring(from, to)));
        assertEquals(List.of("a"), lines);
    }
}
