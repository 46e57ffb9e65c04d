package io.opsd.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void rotatesOnlyWhenTheNextLineWouldPassMaxSize() throws IOException {
        RotatingLogWriter writer = open(20, 5, false);
        write(writer, "line 0001\n", "line 0002\n"); // exactly maxSize: no rotation yet
        writer.flush();
        assertEquals(Set.of("agent.log"), names());

        write(writer, "line 0003\n");
        writer.flush();
        assertEquals(Set.of("agent.log", "agent.log.1"), names());
        assertEquals("line 0001\nline 0002\n", read("agent.log.1"));
        assertEquals("line 0003\n", read("agent.log"));
    }

    @Test
    void keepsMaxFilesRotatedFilesNewestAtIndexOne() throws IOException {
        RotatingLogWriter writer = open(10, 3, false);
        write(writer, "line 0000\n", "line 0001\n", "line 0002\n", "line 0003\n", "line 0004\n", "line 0005\n");
        writer.flush();

        assertEquals(Set.of("agent.log", "agent.log.1", "agent.log.2", "agent.log.3"), names());
        assertEquals("line 0005\n", read("agent.log"));
        assertEquals("line 0004\n", read("agent.log.1"));
        assertEquals("line 0003\n", read("agent.log.2"));
        assertEquals("line 0002\n", read("agent.log.3"));
    }

    @Test
    void withNoRotatedFilesKeptTheActiveFileStartsAgain() throws IOException {
        RotatingLogWriter writer = open(10, 0, true);
        write(writer, "line 0000\n", "line 0001\n", "line 0002\n");
        writer.flush();

        assertEquals(Set.of("agent.log"), names());
        assertEquals("line 0002\n", read("agent.log"));
    }

    @Test
    void compressesEachRotatedFileWhenAskedTo() throws IOException {
        RotatingLogWriter writer = open(10, 2, true); // the compressor runs on the writing thread here
        write(writer, "line 0000\n", "line 0001\n", "line 0002\n", "line 0003\n");
        writer.flush();

        assertEquals(Set.of("agent.log", "agent.log.1.gz", "agent.log.2.gz"), names());
        assertEquals("line 0002\n", gunzip("agent.log.1.gz"));
        assertEquals("line 0001\n", gunzip("agent.log.2.gz"));
    }

    @Test
    void endsALineLeftCutBeforeTheNextOneAndAddsLineBreaksAskedFor() throws IOException {
        Files.writeString(dir.resolve("agent.log"), "cut by a crash");
        RotatingLogWriter writer = open(1024, 1, false);
        byte[] noEnd = "no end".getBytes(UTF_8);
        writer.writeLine(noEnd, 0, noEnd.length, true);
        writer.flush();

        assertEquals("cut by a crash\nno end\n", read("agent.log"));
    }

    @Test
    void writesNothingOnceClosed() throws IOException {
        RotatingLogWriter writer = open(1024, 1, false);
        write(writer, "before\n");
        writer.close();
        write(writer, "after\n");
        writer.flush();

        assertEquals("before\n", read("agent.log"));
        assertEquals(0, writer.droppedLines(), "lines after close are not dropped by a failure");
    }

    private RotatingLogWriter open(long maxSize, int maxFiles, boolean compress) throws IOException {
        LogFileSet files = new LogFileSet(dir, new RotationSettings(maxSize, maxFiles, compress));
        RotatedLogCompressor compressor = new RotatedLogCompressor(new Object(), files, Runnable::run, "test");
        RotatingLogWriter writer = new RotatingLogWriter(files, compressor);
        writer.open();
        return writer;
    }

    private static void write(RotatingLogWriter writer, String... lines) {
        for (String line : lines) {
            byte[] bytes = line.getBytes(UTF_8);
            writer.writeLine(bytes, 0, bytes.length, false);
        }
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), UTF_8);
    }

    private String gunzip(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name)))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(UTF_8);
        }
    }
}
