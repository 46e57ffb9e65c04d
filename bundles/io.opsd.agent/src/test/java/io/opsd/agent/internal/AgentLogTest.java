package io.opsd.agent.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.testing.Await;

class AgentLogTest {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLogTest.class);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final int KIB = 1024;
    private static final long MIB = 1024 * 1024;
    private static final Pattern ROTATED = Pattern.compile("agent\\.log\\.(\\d+)(\\.gz)?");
    private static final Pattern TAGGED_LINE = Pattern.compile("(out|err) (\\d+) ([oe]*)");

    @TempDir
    Path temp;

    @Test
    void keepsEveryLineInOrderAcrossManyCompressedRotations() throws Exception {
        Path dir = temp.resolve("agents").resolve("busy");
        long started = System.nanoTime();
        long written;
        try (AgentLog log = new AgentLog(dir, 4 * MIB, 20, true, 10)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                written = writeNumberedLines(stdout, 0, 50 * MIB);
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        List<Path> files = logFilesOldestFirst(dir);
        assertTrue(files.size() >= 13, "expected 12+ rotations of 50 MiB at 4 MiB, got " + names(dir));
        assertTrue(files.size() <= 21, names(dir).toString());
        for (Path rotated : files.subList(0, files.size() - 1)) {
            assertTrue(rotated.getFileName().toString().endsWith(".gz"), "not compressed: " + rotated);
            assertTrue(uncompressedSize(rotated) <= 4 * MIB, rotated + " is over maxSize");
        }
        long checked = checkConsecutive(files, 0);
        assertEquals(written, checked, "lines in the files");
        LOG.info("checked {} lines ({} MiB) in {} files ({} rotated .gz) in {} ms", checked, 50, files.size(),
            files.size() - 1, elapsedMillis);
    }

    @Test
    void keepsAtMostMaxFilesAndDeletesTheOldest() throws Exception {
        Path dir = temp.resolve("few");
        long written = 0;
        int highestIndexSeen = 0;
        try (AgentLog log = new AgentLog(dir, 64 * KIB, 3, true, 0)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                for (int batch = 0; batch < 40; batch++) {
                    written = writeLines(stdout, written, 1000);
                    stdout.flush();
                    highestIndexSeen = Math.max(highestIndexSeen, highestRotatedIndex(dir));
                }
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
            highestIndexSeen = Math.max(highestIndexSeen, highestRotatedIndex(dir));
        }
        assertTrue(highestIndexSeen <= 3, "saw rotated index " + highestIndexSeen);
        assertEquals(Set.of("agent.log", "agent.log.1.gz", "agent.log.2.gz", "agent.log.3.gz"), names(dir));
        List<Path> files = logFilesOldestFirst(dir);
        long first = firstNumber(files.get(0));
        assertTrue(first > 0, "the oldest lines should have been deleted");
        assertEquals(written, first + checkConsecutive(files, first), "the kept files end with the newest line");
    }

    /**
     * keep_running_on_exit: the agent appends to agent.log itself (a descriptor opened with O_APPEND, as
     * ProcessBuilder.Redirect.appendTo opens it), which copy-truncate rotation keeps at most maxFiles of.
     */
    @Test
    void rotatesAFileTheAgentWritesItselfByCopyAndTruncate() throws Exception {
        Path dir = temp.resolve("direct");
        long written = 0;
        int rotations = 0;
        try (AgentLog log = new AgentLog(dir, 16 * KIB, 3, true, 0);
             OutputStream agent = new java.io.FileOutputStream(dir.resolve("agent.log").toFile(), true)) {
            agent.write(numberedLine(written++).getBytes(ISO_8859_1));
            assertFalse(log.rotateDirect(), "rotated a file under max_size");
            for (int round = 0; round < 8; round++) {
                written = writeLines(agent, written, 400); // about 20 KiB: past 16 KiB
                assertTrue(log.rotateDirect(), "not rotated at " + Files.size(dir.resolve("agent.log")) + " bytes");
                rotations++;
                assertEquals(0, Files.size(dir.resolve("agent.log")), "agent.log not truncated");
                // the same descriptor, still open, writes at the new end: no hole of zero bytes before it
                written = writeLines(agent, written, 1);
                assertEquals(numberedLine(written - 1), Files.readString(dir.resolve("agent.log"), ISO_8859_1));
                assertTrue(highestRotatedIndex(dir) <= 3, names(dir).toString());
            }
            await("rotated files compressed", () -> {
                try {
                    return names(dir).equals(Set.of("agent.log", "agent.log.1.gz", "agent.log.2.gz",
                        "agent.log.3.gz"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertEquals(8, rotations);
        List<Path> files = logFilesOldestFirst(dir);
        long first = firstNumber(files.get(0));
        assertTrue(first > 0, "the oldest rotated files should have been deleted");
        assertEquals(written, first + checkConsecutive(files, first), "the kept files end with the newest line");
    }

    /** What the supervisor calls every few seconds: nothing under max_size, a rotation in the background past it. */
    @Test
    void requestedDirectRotationHappensInTheBackgroundOncePastMaxSize() throws Exception {
        Path dir = temp.resolve("requested");
        try (AgentLog log = new AgentLog(dir, 8 * KIB, 2, false, 0);
             OutputStream agent = new java.io.FileOutputStream(dir.resolve("agent.log").toFile(), true)) {
            long written = writeLines(agent, 0, 50);
            log.requestDirectRotation();
            assertTrue(Files.size(dir.resolve("agent.log")) < 8 * KIB);
            writeLines(agent, written, 300);
            log.requestDirectRotation();
            // truncated after the copy is complete
            await("agent.log rotated", () -> Files.exists(dir.resolve("agent.log.1"))
                && sizeUnchecked(dir.resolve("agent.log")) == 0);
            assertEquals(Set.of("agent.log", "agent.log.1"), names(dir));
            assertEquals(0, firstNumber(dir.resolve("agent.log.1")), "the first line went to agent.log.1");
        }
    }

    /** A real process writing through Redirect.appendTo, as a keep_running_on_exit agent does, rotated meanwhile. */
    @Test
    void theAgentsRedirectAppendsSoTruncationLeavesNoHole() throws Exception {
        Path dir = temp.resolve("process");
        Files.createDirectories(dir);
        Path file = dir.resolve("agent.log");
        Process writer = new ProcessBuilder("/bin/sh", "-c",
            "i=0; while [ $i -lt 200000 ]; do echo \"line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; i=$((i+1)); done")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
        int rotated = 0;
        try (AgentLog log = new AgentLog(dir, 64 * KIB, 2, false, 0)) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (rotated < 5 && writer.isAlive() && System.nanoTime() < deadline) {
                if (log.rotateDirect()) {
                    rotated++;
                }
                LockSupport.parkNanos(POLL.toNanos());
            }
            await("the writer appends after the last rotation", () -> sizeUnchecked(file) > 0 || !writer.isAlive());
        } finally {
            writer.destroy();
            assertTrue(writer.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "writer still runs");
        }
        assertTrue(rotated >= 2, "rotated " + rotated + " times only while the writer ran");
        assertTrue(names(dir).containsAll(Set.of("agent.log", "agent.log.1", "agent.log.2")), names(dir).toString());
        assertTrue(highestRotatedIndex(dir) <= 2, names(dir).toString());
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 0, "the writer wrote nothing after the last rotation");
        for (byte b : bytes) {
            assertTrue(b != 0, "agent.log has a hole of zero bytes: the agent does not write in append mode");
        }
        assertTrue(new String(bytes, ISO_8859_1).startsWith("line "), "agent.log does not start with a line");
    }

    @Test
    void linesOfTwoStreamsNeverInterleave() throws Exception {
        Path dir = temp.resolve("two");
        int linesPerStream = 5000;
        try (AgentLog log = new AgentLog(dir, 256 * KIB, 1000, false, 0)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread out = producer(attachPipe(log, "stdout"), "out", linesPerStream, failure);
            Thread err = producer(attachPipe(log, "stderr"), "err", linesPerStream, failure);
            out.start();
            err.start();
            out.join(LIMIT.toMillis());
            err.join(LIMIT.toMillis());
            assertFalse(out.isAlive() || err.isAlive(), "producers did not finish");
            if (failure.get() != null) {
                throw new AssertionError("producer failed", failure.get());
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        long[] next = {0, 0};
        long[] lines = {0};
        forEachLine(logFilesOldestFirst(dir), line -> {
            Matcher matcher = TAGGED_LINE.matcher(line);
            assertTrue(matcher.matches(), () -> "mixed or broken line: " + abbreviate(line));
            int stream = matcher.group(1).equals("out") ? 0 : 1;
            long number = Long.parseLong(matcher.group(2));
            assertEquals(next[stream]++, number, () -> "order of " + matcher.group(1));
            assertEquals(taggedPayload(matcher.group(1), number), matcher.group(3), "payload of " + number);
            lines[0]++;
        });
        assertEquals(2L * linesPerStream, lines[0]);
        assertEquals(linesPerStream, next[0]);
        assertEquals(linesPerStream, next[1]);
        assertTrue(logFilesOldestFirst(dir).size() > 10, "expected rotations while both streams wrote");
    }

    @Test
    void tailHasTheLastLinesAndTheFileShowsThemBeforeEof() throws Exception {
        Path dir = temp.resolve("tailed");
        try (AgentLog log = new AgentLog(dir, MIB, 3, false, 5)) {
            OutputStream stdout = attachPipe(log, "stdout");
            writeLines(stdout, 0, 100);
            stdout.flush();
            // the pipe stays open: the lines must reach the file when the reader runs out of input
            Path active = dir.resolve("agent.log");
            await("line 99 in the file", () -> readWhileRotating(active).endsWith(numberedLine(99)));
            assertEquals(Stream.of(95L, 96L, 97L, 98L, 99L).map(AgentLogTest::lineText).collect(Collectors.toList()),
                log.tail());
            assertTrue(threadNames().contains("opsd-agent-log-tailed-stdout"), threadNames().toString());
            stdout.close();
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        await("the reader thread ends", () -> !threadNames().contains("opsd-agent-log-tailed-stdout"));
    }

    @Test
    void keepsBytesAsTheyAreAndAPartialLastLine() throws Exception {
        Path dir = temp.resolve("partial");
        byte[] output = {'f', 'i', 'r', 's', 't', '\n', 'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, '\r', '\n',
            'n', 'o', ' ', 'e', 'n', 'd'};
        AgentLog log = new AgentLog(dir, MIB, 3, false, 10);
        try (OutputStream stdout = attachPipe(log, "stdout")) {
            stdout.write(output);
        }
        assertTrue(log.awaitDrained(LIMIT), "not drained");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(output);
        expected.write('\n');
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(dir.resolve("agent.log")));
        assertEquals(List.of("first", "bad \uFFFD\uFFFD", "no end"), log.tail());
        log.close();
        assertThrows(IllegalStateException.class, () -> log.attach(InputStream.nullInputStream(), "stdout"));
    }

    @Test
    void settingsChangedInPlaceTakeEffectAtTheNextRotation() throws Exception {
        Path dir = temp.resolve("edited");
        long written;
        try (AgentLog log = new AgentLog(dir, 64 * KIB, 10, false, 1)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                written = writeLines(stdout, 0, 8000);
                stdout.flush();
                Path active = dir.resolve("agent.log");
                long last = written - 1;
                await("all lines written", () -> readWhileRotating(active).endsWith(numberedLine(last)));
                Set<String> before = names(dir);
                assertTrue(before.containsAll(Set.of("agent.log.1", "agent.log.5")), before.toString());

                log.settings(16 * KIB, 2, true);
                assertEquals(before, names(dir), "nothing changes before the next rotation");

                written = writeLines(stdout, written, 2000);
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        assertEquals(Set.of("agent.log", "agent.log.1.gz", "agent.log.2.gz"), names(dir));
        List<Path> files = logFilesOldestFirst(dir);
        for (Path file : files) {
            assertTrue(uncompressedSize(file) <= 16 * KIB, file + " is over the new maxSize");
        }
        long first = firstNumber(files.get(0));
        assertEquals(written, first + checkConsecutive(files, first));
    }

    @Test
    void withoutCompressionRotatedFilesStayPlain() throws Exception {
        Path dir = temp.resolve("plain");
        long written;
        try (AgentLog log = new AgentLog(dir, 8 * KIB, 3, false, 0)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                written = writeLines(stdout, 0, 3000);
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        assertEquals(Set.of("agent.log", "agent.log.1", "agent.log.2", "agent.log.3"), names(dir));
        List<Path> files = logFilesOldestFirst(dir);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 8 * KIB, file + " is over maxSize");
        }
        long first = firstNumber(files.get(0));
        assertEquals(written, first + checkConsecutive(files, first));
    }

    @Test
    void writesALineLongerThanMaxSizeWhole() throws Exception {
        Path dir = temp.resolve("long");
        String longLine = "L".repeat(5000) + "\n";
        try (AgentLog log = new AgentLog(dir, 1024, 5, false, 0)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                stdout.write(("short\n" + longLine + "after\n").getBytes(UTF_8));
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        assertEquals("short\n", read(dir.resolve("agent.log.2")));
        assertEquals(longLine, read(dir.resolve("agent.log.1")));
        assertEquals("after\n", read(dir.resolve("agent.log")));
    }

    @Test
    void cutsOnlyLinesLongerThanTheLineLimit() throws Exception {
        Path dir = temp.resolve("runaway");
        int limit = AgentLog.MAX_LINE_BYTES;
        try (AgentLog log = new AgentLog(dir, 64 * MIB, 1, false, 0)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                stdout.write("A".repeat(limit).getBytes(UTF_8));
                stdout.write('\n');
                stdout.write("B".repeat(2 * limit + 5).getBytes(UTF_8));
                stdout.write('\n');
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        List<Integer> lengths = new ArrayList<>();
        List<Character> letters = new ArrayList<>();
        forEachLine(List.of(dir.resolve("agent.log")), line -> {
            lengths.add(line.length());
            letters.add(line.charAt(0));
        });
        assertEquals(List.of(limit, limit, limit, 5), lengths, "a line of exactly the limit stays whole");
        assertEquals(List.of('A', 'B', 'B', 'B'), letters);
    }

    @Test
    void keepsDrainingWhileTheDiskIsFullAndWritesAgainAfterwards() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Path dir = temp.resolve("full");
        Files.createDirectories(dir);
        Path active = dir.resolve("agent.log");
        Files.createSymbolicLink(active, full);
        long written;
        try (AgentLog log = new AgentLog(dir, MIB, 3, false, 1)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                written = writeLines(stdout, 0, 1000);
                stdout.flush();
                await("1000 lines read and dropped", () -> log.droppedLines() == 1000);

                Files.delete(active); // space again: the next attempt creates a regular file
                long[] next = {written};
                await("writing works again", () -> {
                    writeUnchecked(stdout, next[0]++);
                    return Files.isRegularFile(active, LinkOption.NOFOLLOW_LINKS) && sizeUnchecked(active) > 0;
                });
                written = writeLines(stdout, next[0], 100);
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
            assertTrue(log.droppedLines() >= 1000, "dropped " + log.droppedLines());
        }
        long first = firstNumber(active);
        assertTrue(first >= 1000, "line " + first + " should have been dropped");
        assertEquals(written, first + checkConsecutive(List.of(active), first));
    }

    @Test
    void restartContinuesTheFileAndFinishesInterruptedCompression() throws Exception {
        Path dir = temp.resolve("restarted");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("agent.log"), "old 1\nold 2 cut by a crash");
        Files.writeString(dir.resolve("agent.log.1"), "rotated one\n");
        Files.writeString(dir.resolve("agent.log.2"), "rotated two\n");
        Files.write(dir.resolve("agent.log.2.gz"), gzip("rotated two\n"));
        Files.writeString(dir.resolve("agent.log.3.gz.tmp"), "half a gzip");
        try (AgentLog log = new AgentLog(dir, MIB, 5, true, 0)) {
            try (OutputStream stdout = attachPipe(log, "stdout")) {
                stdout.write("new\n".getBytes(UTF_8));
            }
            assertTrue(log.awaitDrained(LIMIT), "not drained");
        }
        assertEquals("old 1\nold 2 cut by a crash\nnew\n", read(dir.resolve("agent.log")));
        assertEquals(Set.of("agent.log", "agent.log.1.gz", "agent.log.2.gz"), names(dir));
        assertEquals("rotated one\n", new String(gunzip(dir.resolve("agent.log.1.gz")), UTF_8));
        assertEquals("rotated two\n", new String(gunzip(dir.resolve("agent.log.2.gz")), UTF_8));
    }

    // --- producing output ---

    private static OutputStream attachPipe(AgentLog log, String streamName) throws IOException {
        PipedInputStream readEnd = new PipedInputStream(256 * KIB);
        PipedOutputStream writeEnd = new PipedOutputStream(readEnd);
        log.attach(readEnd, streamName);
        return new BufferedOutputStream(writeEnd, 64 * KIB);
    }

    /** Line n without its line break: the number, then n % 97 'x' (so lengths vary and damage shows). */
    private static String lineText(long number) {
        return number + " " + "x".repeat((int) (number % 97));
    }

    private static String numberedLine(long number) {
        return lineText(number) + "\n";
    }

    private static long writeLines(OutputStream out, long first, long count) throws IOException {
        for (long number = first; number < first + count; number++) {
            out.write(numberedLine(number).getBytes(ISO_8859_1));
        }
        return first + count;
    }

    /** Writes numbered lines until {@code bytes} are written; returns how many. */
    private static long writeNumberedLines(OutputStream out, long first, long bytes) throws IOException {
        long number = first;
        for (long sent = 0; sent < bytes; number++) {
            byte[] line = numberedLine(number).getBytes(ISO_8859_1);
            out.write(line);
            sent += line.length;
        }
        return number - first;
    }

    private static void writeUnchecked(OutputStream out, long number) {
        try {
            out.write(numberedLine(number).getBytes(ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String taggedPayload(String tag, long number) {
        return (tag.equals("out") ? "o" : "e").repeat((int) (number * 31 % 3000));
    }

    /** Writes each line in two parts with a flush between, so the reader sees lines cut in the middle. */
    private static Thread producer(OutputStream out, String tag, int lines, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try (out) {
                for (long number = 0; number < lines; number++) {
                    byte[] line = (tag + " " + number + " " + taggedPayload(tag, number) + "\n").getBytes(UTF_8);
                    int cut = line.length / 2;
                    out.write(line, 0, cut);
                    out.flush();
                    out.write(line, cut, line.length - cut);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "opsd-agent-test-" + tag);
        thread.setDaemon(true);
        return thread;
    }

    // --- reading the files ---

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static int highestRotatedIndex(Path dir) throws IOException {
        int highest = 0;
        for (String name : names(dir)) {
            Matcher matcher = ROTATED.matcher(name);
            if (matcher.matches()) {
                highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
            }
        }
        return highest;
    }

    /** Rotated files from the highest index down, then agent.log. */
    private static List<Path> logFilesOldestFirst(Path dir) throws IOException {
        List<Path> rotated = new ArrayList<>();
        for (String name : names(dir)) {
            Matcher matcher = ROTATED.matcher(name);
            if (matcher.matches()) {
                rotated.add(dir.resolve(name));
            } else {
                assertEquals("agent.log", name, "unexpected file");
            }
        }
        rotated.sort(Comparator.comparingInt((Path path) -> rotatedIndex(path)).reversed());
        List<Path> files = new ArrayList<>(rotated);
        files.add(dir.resolve("agent.log"));
        return files;
    }

    private static int rotatedIndex(Path path) {
        Matcher matcher = ROTATED.matcher(path.getFileName().toString());
        assertTrue(matcher.matches());
        return Integer.parseInt(matcher.group(1));
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 64 * KIB) : in;
    }

    private static void forEachLine(List<Path> files, Consumer<String> check) throws IOException {
        for (Path file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), ISO_8859_1))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    check.accept(line);
                }
            }
        }
    }

    /** Checks that the files hold numbered lines first, first + 1, ... intact; returns how many. */
    private static long checkConsecutive(List<Path> files, long first) throws IOException {
        long[] next = {first};
        forEachLine(files, line -> {
            if (!line.equals(lineText(next[0]))) {
                throw new AssertionError("expected line " + next[0] + ", found: " + abbreviate(line));
            }
            next[0]++;
        });
        return next[0] - first;
    }

    private static long firstNumber(Path file) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), ISO_8859_1))) {
            String line = reader.readLine();
            assertTrue(line != null, file + " is empty");
            return Long.parseLong(line.substring(0, line.indexOf(' ')));
        }
    }

    private static long uncompressedSize(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static long sizeUnchecked(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The active file, or "" in the instant a rotation has renamed it and not yet created the next one. */
    private static String readWhileRotating(Path file) {
        try {
            return Files.readString(file, ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            return in.readAllBytes();
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "... (" + line.length() + " chars)";
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    /** Polls {@code condition} until it holds, failing after {@link #LIMIT}. */
    private static void await(String what, BooleanSupplier condition) {
        Await.until(LIMIT, POLL, condition, () -> what);
    }
}
