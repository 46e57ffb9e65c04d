package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void holdsThePidWithoutNewlineAndIsRemovedOnClose() throws Exception {
        Path file = dir.resolve("opsd.pid");
        try (PidFile pid = PidFile.acquire(file)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(file));
            assertTrue(pid.staleNote().isEmpty());
            PidFile.AlreadyRunningException e = assertThrows(PidFile.AlreadyRunningException.class,
                () -> PidFile.acquire(file));
            assertTrue(e.getMessage().contains("(pid " + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aStaleFileIsReplacedAndReported() throws Exception {
        Path file = dir.resolve("opsd.pid");
        Files.writeString(file, "999999999");
        try (PidFile pid = PidFile.acquire(file)) {
            assertTrue(pid.staleNote().orElseThrow().contains("pid 999999999"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(file));
        }
    }
}
