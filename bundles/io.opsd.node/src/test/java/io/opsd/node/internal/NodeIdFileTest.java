package io.opsd.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdFileTest {

    @TempDir
    Path data;

    @Test
    void generatesAUuidOnceAndKeepsItWithoutANewline() throws IOException {
        NodeIdFile file = new NodeIdFile(data);
        String first = file.resolve(Optional.empty());
        assertEquals(first, UUID.fromString(first).toString());
        assertEquals(first, Files.readString(data.resolve("node_id")));
        assertEquals(first, new NodeIdFile(data).resolve(Optional.empty()));
    }

    @Test
    void aConfiguredIdWinsAndIsWrittenToTheFile() throws IOException {
        NodeIdFile file = new NodeIdFile(data);
        file.resolve(Optional.empty());
        assertEquals("edge-7", file.resolve(Optional.of("edge-7")));
        assertEquals("edge-7", Files.readString(data.resolve("node_id")));
        assertTrue(Files.notExists(data.resolve("node_id.tmp")));
    }

    @Test
    void anIdCopiedFromTheOldDaemonIsTrimmed() throws IOException {
        Files.writeString(data.resolve("node_id"), "3f0c8a52-0b7e-4c57-9d1e-1a2b3c4d5e6f\n");
        assertEquals("3f0c8a52-0b7e-4c57-9d1e-1a2b3c4d5e6f", new NodeIdFile(data).resolve(Optional.empty()));
    }

    @Test
    void garbageInTheFileIsReportedNotReplaced() throws IOException {
        Files.writeString(data.resolve("node_id"), "../../etc/passwd");
        IOException e = assertThrows(IOException.class, () -> new NodeIdFile(data).resolve(Optional.empty()));
        assertTrue(e.getMessage().contains("not a node id"), e.getMessage());
        assertEquals("../../etc/passwd", Files.readString(data.resolve("node_id")));
    }
}
