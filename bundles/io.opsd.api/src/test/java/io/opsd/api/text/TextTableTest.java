package io.opsd.api.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellWithTwoSpacesBetween() {
        TextTable t = new TextTable("ID", "STATE", "PID");
        t.row("filebeat", "running", 1234);
        t.row("a", "stopped", null);
        assertEquals(List.of(
            "ID        STATE    PID",
            "filebeat  running  1234",
            "a         stopped  -"), t.lines());
    }

    @Test
    void aShortLastColumnIsNotPaddedAndAnEmptyCellIsADash() {
        TextTable t = new TextTable("NAME", "ERROR");
        t.row("cpu", "");
        t.row("disk", "mount /data gone");
        assertEquals(List.of("NAME  ERROR", "cpu   -", "disk  mount /data gone"), t.lines());
        t.lines().forEach(line -> assertEquals(line.stripTrailing(), line, "no trailing spaces"));
    }

    @Test
    void controlCharactersBecomeSpacesSoEveryRowIsOneLine() {
        TextTable t = new TextTable("A", "B");
        t.row("x\ny", "tab\there\r\n\u001b[31m");
        assertEquals(List.of("A    B", "x y  tab here   [31m"), t.lines());
    }

    @Test
    void widthsCountCodePointsNotUtf16Units() {
        TextTable t = new TextTable("NAME", "X");
        t.row("\uD83D\uDE80ab", "1"); // one code point outside the BMP and two letters: 3 wide
        assertEquals(List.of("NAME  X", "\uD83D\uDE80ab   1"), t.lines());
    }

    @Test
    void aHeaderOnlyTableIsTheHeader() {
        TextTable t = new TextTable("ID", "TYPE");
        assertEquals(List.of("ID  TYPE"), t.lines());
        assertTrue(t.isEmpty());
        t.row("x", "y");
        assertFalse(t.isEmpty());
    }

    @Test
    void aRowMustHaveOneCellPerColumnAndATableAColumn() {
        TextTable t = new TextTable("A", "B");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertEquals("1 cells for 2 columns", e.getMessage());
        assertThrows(IllegalArgumentException.class, TextTable::new);
    }

    @Test
    void printWritesOneLinePerRow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextTable("A", "B").row("1", "2").print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("A  B" + System.lineSeparator() + "1  2" + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }
}
