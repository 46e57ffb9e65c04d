package io.opsd.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
