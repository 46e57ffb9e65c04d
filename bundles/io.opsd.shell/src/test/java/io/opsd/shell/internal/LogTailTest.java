package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void returnsTheLastLinesOfAFileLongerThanOneBlock() throws Exception {
        Path log = dir.resolve("agent.log");
        Files.writeString(log, IntStream.rangeClosed(1, 5_000).mapToObj(i -> "line " + i)
            .collect(Collectors.joining("\n", "", "\n")));
        assertEquals(List.of("line 4998", "line 4999", "line 5000"), LogTail.lastLines(log, 3));
    }

    @Test
    void aShortFileGivesWhatItHasAndAFinalLineWithoutBreakCounts() throws Exception {
        Path log = dir.resolve("agent.log");
        Files.writeString(log, "one\ntwo\r\nthree");
        assertEquals(List.of("one", "two", "three"), LogTail.lastLines(log, 20));
        Files.writeString(log, "");
        assertEquals(List.of(), LogTail.lastLines(log, 20));
    }
}
