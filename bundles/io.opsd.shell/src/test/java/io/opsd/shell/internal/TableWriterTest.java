package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableWriterTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellWithTwoSpacesBetweenAndNoTrailingSpaces() {
        TableWriter t = new TableWriter("ID", "STATE", "PID");
        t.row("filebeat", "running", 1234);
        t.row("a", "stopped", null);
        assertEquals(List.of(
            "ID        STATE    PID",
            "filebeat  running  1234",
            "a         stopped  -"), t.lines());
    }

    @Test
    void aShortLastColumnIsNotPadded() {
        TableWriter t = new TableWriter("NAME", "ERROR");
        t.row("cpu", "");
        t.row("disk", "mount /data gone");
        assertEquals(List.of("NAME  ERROR", "cpu   -", "disk  mount /data gone"), t.lines());
    }

    @Test
    void controlCharactersBecomeSpacesSoEveryRowIsOneLine() {
        TableWriter t = new TableWriter("A", "B");
        t.row("x\ny", "tab\there\r\n");
        assertEquals(List.of("A    B", "x y  tab here"), t.lines());
    }

    @Test
    void aHeaderOnlyTableIsTheHeader() {
        TableWriter t = new TableWriter("ID", "TYPE");
        assertEquals(List.of("ID  TYPE"), t.lines());
        assertEquals(true, t.isEmpty());
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        TableWriter t = new TableWriter("A", "B");
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }
}
