package io.opsd.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileSetTest {

    @TempDir
    Path dir;

    @Test
    void shiftMovesPlainAndGzippedFilesUpAndDeletesThosePastMaxFiles() throws IOException {
        create("agent.log", "agent.log.1", "agent.log.2.gz", "agent.log.3", "agent.log.7.gz");
        LogFileSet files = new LogFileSet(dir, new RotationSettings(1024, 3, true));

        files.shiftRotated();

        // agent.log.3 would become 4 and agent.log.7.gz is left by a larger max_files before
        assertEquals(Set.of("agent.log", "agent.log.2", "agent.log.3.gz"), names());
        assertEquals("agent.log.1", Files.readString(dir.resolve("agent.log.2"), UTF_8));
        assertEquals("agent.log.2.gz", Files.readString(dir.resolve("agent.log.3.gz"), UTF_8));
    }

    @Test
    void theActiveFileBecomesIndexOneOrIsDeletedWhenNoneIsKept() throws IOException {
        create("agent.log");
        new LogFileSet(dir, new RotationSettings(1024, 1, false)).rotateActiveByRename();
        assertEquals(Set.of("agent.log.1"), names());

        create("agent.log");
        new LogFileSet(dir, new RotationSettings(1024, 0, false)).rotateActiveByRename();
        assertEquals(Set.of("agent.log.1"), names(), "agent.log deleted, agent.log.1 left alone");
    }

    @Test
    void followsARotatedFileAcrossLaterRotations() {
        LogFileSet files = new LogFileSet(dir, new RotationSettings(1024, 3, false));
        files.countRotation();
        long first = files.rotationAt(1);
        files.countRotation();
        files.countRotation();

        assertEquals(3, files.indexOf(first));
        assertEquals(dir.resolve("agent.log.3.gz"), files.rotated(files.indexOf(first), true));
    }

    @Test
    void listsOnlyPlainRotatedFilesByIndex() throws IOException {
        create("agent.log", "agent.log.1", "agent.log.2.gz", "agent.log.10", "agent.log.0", "agent.log.x",
            "agent.log.3.gz.tmp", "other.log.4");
        LogFileSet files = new LogFileSet(dir, new RotationSettings(1024, 20, true));

        assertEquals(Map.of(1, dir.resolve("agent.log.1"), 10, dir.resolve("agent.log.10")), files.plainRotated());
        assertEquals(1, files.plainRotated().firstKey());
    }

    @Test
    void cleanUpRemovesWhatAnInterruptedCompressionLeft() throws IOException {
        create("agent.log", "agent.log.1", "agent.log.2", "agent.log.2.gz", "agent.log.3.gz.tmp");
        LogFileSet files = new LogFileSet(dir, new RotationSettings(1024, 5, true));

        assertTrue(files.cleanUpInterruptedCompression(), "agent.log.1 is still to compress");
        assertEquals(Set.of("agent.log", "agent.log.1", "agent.log.2.gz"), names());

        Files.delete(dir.resolve("agent.log.1"));
        assertFalse(files.cleanUpInterruptedCompression(), "nothing plain is left");
    }

    @Test
    void settingsRejectLimitsThatBoundNothing() {
        assertThrows(IllegalArgumentException.class, () -> new RotationSettings(0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RotationSettings(1024, -1, false));
        assertFalse(new RotationSettings(1024, 0, true).compressesRotatedFiles(), "nothing rotated to compress");
        assertTrue(new RotationSettings(1024, 1, true).compressesRotatedFiles());
    }

    /** Creates each file with its own name as its content. */
    private void create(String... names) throws IOException {
        for (String name : names) {
            Files.writeString(dir.resolve(name), name, UTF_8);
        }
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
