package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path root;

    /** Writes a procfs fixture tree: /proc/&lt;pid&gt;/{stat,io,fd/} and /proc/uptime. */
    static final class FakeProc {

        private final Path root;

        FakeProc(Path root) {
            this.root = root;
        }

        Path root() {
            return root;
        }

        FakeProc process(ProcFs.Stat stat, String comm) throws IOException {
            return statBytes(stat.pid(), statLine(stat, comm).getBytes(StandardCharsets.ISO_8859_1));
        }

        FakeProc statBytes(long pid, byte[] content) throws IOException {
            Files.write(Files.createDirectories(dir(pid)).resolve("stat"), content);
            return this;
        }

        FakeProc io(long pid, long readBytes, long writeBytes) throws IOException {
            Files.writeString(Files.createDirectories(dir(pid)).resolve("io"), "rchar: 6976\nwchar: 12\nsyscr: 10\n"
                + "syscw: 1\nread_bytes: " + readBytes + "\nwrite_bytes: " + writeBytes + "\ncancelled_write_bytes: 0\n");
            return this;
        }

        FakeProc openFiles(long pid, int count) throws IOException {
            Path fd = Files.createDirectories(dir(pid).resolve("fd"));
            for (int descriptor = 0; descriptor < count; descriptor++) {
                Files.writeString(fd.resolve(Integer.toString(descriptor)), "");
            }
            return this;
        }

        FakeProc environ(long pid, String... variables) throws IOException {
            Files.writeString(Files.createDirectories(dir(pid)).resolve("environ"), String.join("\0", variables) + "\0");
            return this;
        }

        FakeProc uptimeTicks(long ticks) throws IOException {
            Files.writeString(root.resolve("uptime"), String.format("%d.%02d 4242.17%n", ticks / 100, ticks % 100));
            return this;
        }

        FakeProc remove(long pid) throws IOException {
            try (Stream<Path> files = Files.walk(dir(pid))) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            return this;
        }

        private Path dir(long pid) {
            return root.resolve(Long.toString(pid));
        }

        /** A complete 52-field line as Linux writes it, rsslim's unsigned maximum included. */
        static String statLine(ProcFs.Stat s, String comm) {
            String[] fields = new String[52];
            Arrays.fill(fields, "0");
            fields[0] = Long.toString(s.pid());
            fields[1] = "(" + comm + ")";
            fields[2] = "S";
            fields[3] = Long.toString(s.ppid());
            fields[4] = Long.toString(s.pgrp());
            fields[5] = Long.toString(s.session());
            fields[7] = "-1";
            fields[8] = "4194304";
            fields[13] = Long.toString(s.utimeTicks());
            fields[14] = Long.toString(s.stimeTicks());
            fields[17] = "20";
            fields[19] = Integer.toString(s.threads());
            fields[21] = Long.toString(s.startTicks());
            fields[22] = Long.toString(s.vsizeBytes());
            fields[23] = Long.toString(s.rssPages());
            fields[24] = "18446744073709551615";
            return String.join(" ", fields) + "\n";
        }
    }

    private static ProcFs.Stat stat(long pid, long ppid, long session) {
        return new ProcFs.Stat(pid, ppid, session, session, 1234, 567, 98765, 3133440, 394, 3);
    }

    @Test
    void orphansAreFoundByTheEnvironmentTheirAgentWasGiven(@TempDir Path dir) throws IOException {
        FakeProc fake = new FakeProc(dir)
            .process(stat(100, 1, 100), "sleep").environ(100, "PATH=/bin", "OPSD_AGENT_ID=a", "HOME=/w/a")
            .process(stat(101, 100, 100), "sleep").environ(101, "OPSD_AGENT_ID=a", "HOME=/w/a")
            .process(stat(200, 1, 200), "sleep").environ(200, "OPSD_AGENT_ID=a", "HOME=/other/node/a")
            .process(stat(300, 7, 300), "sleep").environ(300, "OPSD_AGENT_ID=a", "HOME=/w/a")
            .process(stat(400, 1, 400), "sleep");
        ProcFs proc = new ProcFs(fake.root());
        assertEquals(java.util.Set.of(100L), proc.orphanSessionsWith(Map.of("OPSD_AGENT_ID", "a", "HOME", "/w/a")),
            "only an orphan (parent init) with both marks: not another node's, not a child of a live process,"
                + " not one without an environment we can read");
        assertEquals(java.util.Set.of(), proc.orphanSessionsWith(Map.of("OPSD_AGENT_ID", "b", "HOME", "/w/a")));
    }

    @Test
    void parsesACommandNameWithSpacesAndParentheses() throws IOException {
        ProcFs.Stat odd = stat(4242, 1, 4242);
        ProcFs.Stat closing = new ProcFs.Stat(4243, 4242, 7, 4242, 1, 2, 3, 4, 5, 6);
        new FakeProc(root).process(odd, "my (odd) proc").process(closing, ") 1 2 3 (");
        ProcFs proc = new ProcFs(root);
        assertEquals(Optional.of(odd), proc.stat(4242));
        assertEquals(Optional.of(closing), proc.stat(4243));
        assertEquals(OptionalLong.of(98765), proc.startTime(4242));
        assertEquals(OptionalLong.of(3), proc.startTime(4243));
    }

    @Test
    void parsesACommandNameThatIsNotUtf8() throws IOException {
        byte[] line = FakeProc.statLine(stat(77, 1, 77), "x\u00ff\u00fe )").getBytes(StandardCharsets.ISO_8859_1);
        new FakeProc(root).statBytes(77, line);
        assertEquals(Optional.of(stat(77, 1, 77)), new ProcFs(root).stat(77));
    }

    @Test
    void aMissingTruncatedOrMalformedStatReadsAsAbsent() throws IOException {
        String good = FakeProc.statLine(stat(12, 1, 12), "ok");
        new FakeProc(root)
            .statBytes(10, "10 (no closing parenthesis S 1 10 10".getBytes(StandardCharsets.US_ASCII))
            .statBytes(11, good.substring(0, good.indexOf(" 98765")).getBytes(StandardCharsets.US_ASCII))
            .statBytes(12, good.replace(" 1234 ", " lots ").getBytes(StandardCharsets.US_ASCII));
        ProcFs proc = new ProcFs(root);
        assertEquals(Optional.empty(), proc.stat(9), "no such process");
        assertEquals(Optional.empty(), proc.stat(10));
        assertEquals(Optional.empty(), proc.stat(11));
        assertEquals(Optional.empty(), proc.stat(12));
        assertEquals(OptionalLong.empty(), proc.startTime(9));
    }

    @Test
    void allListsEveryProcessAndSkipsOtherEntriesAndVanishedOnes() throws IOException {
        new FakeProc(root).process(stat(1, 0, 1), "init").process(stat(300, 1, 300), "agent").uptimeTicks(5000);
        Files.createDirectories(root.resolve("301")); // listed, then gone before its stat was read
        Files.createDirectories(root.resolve("self"));
        Files.createDirectories(root.resolve("12a"));
        Files.writeString(root.resolve("99999999999999999999999"), "");
        List<Long> pids = new ProcFs(root).all().stream().map(ProcFs.Stat::pid).sorted().toList();
        assertEquals(List.of(1L, 300L), pids);
    }

    @Test
    void allFailsLoudlyWhenTheProcRootItselfIsMissing() {
        ProcFs proc = new ProcFs(root.resolve("not-mounted"));
        assertThrows(UncheckedIOException.class, proc::all);
    }

    @Test
    void sessionMembersIncludeAChildReparentedToInit() throws IOException {
        new FakeProc(root)
            .process(stat(1, 0, 1), "init")
            .process(stat(500, 1, 500), "agent")
            .process(stat(501, 500, 500), "worker")
            .process(stat(502, 1, 500), "orphan (daemonized)") // its parent exited; still in the agent's session
            .process(stat(600, 1, 600), "another agent")
            .process(stat(601, 500, 601), "left with setsid");
        ProcFs proc = new ProcFs(root);
        assertEquals(List.of(500L, 501L, 502L), proc.sessionMembers(500).stream().sorted().toList());
        assertEquals(List.of(), proc.sessionMembers(700));
    }

    @Test
    void membersOutsideTheGroupAreThoseASignalToTheGroupMisses() throws IOException {
        new FakeProc(root)
            .process(stat(500, 1, 500), "agent")
            .process(stat(501, 500, 500), "worker")
            .process(new ProcFs.Stat(502, 500, 502, 500, 1, 1, 1, 1, 1, 1), "made a group of its own")
            .process(stat(600, 1, 600), "another agent");
        ProcFs proc = new ProcFs(root);
        assertEquals(List.of(502L), proc.sessionMembersOutsideGroup(500));
        assertEquals(List.of(), proc.sessionMembersOutsideGroup(600));
    }

    @Test
    void readsStorageCountersAndTreatsMissingOrUnreadableOnesAsAbsent() throws IOException {
        new FakeProc(root).process(stat(20, 1, 20), "a").io(20, 4096, 8192)
            .process(stat(21, 1, 21), "b")
            .process(stat(22, 1, 22), "c");
        Files.createDirectories(root.resolve("22/io")); // cannot be read as a file
        Files.writeString(Files.createDirectories(root.resolve("23")).resolve("io"), "rchar: 1\n");
        ProcFs proc = new ProcFs(root);
        assertEquals(OptionalLong.of(4096), proc.ioReadBytes(20));
        assertEquals(OptionalLong.of(8192), proc.ioWriteBytes(20));
        assertEquals(Optional.of(new ProcFs.Io(4096, 8192)), proc.io(20));
        assertEquals(OptionalLong.empty(), proc.ioReadBytes(21));
        assertEquals(OptionalLong.empty(), proc.ioWriteBytes(22));
        assertEquals(OptionalLong.empty(), proc.ioReadBytes(23), "no read_bytes line");
    }

    @Test
    void countsOpenFilesAndGivesZeroWhenTheyCannotBeListed() throws IOException {
        new FakeProc(root).process(stat(30, 1, 30), "a").openFiles(30, 5).process(stat(31, 1, 31), "b")
            .process(stat(32, 1, 32), "c");
        Files.writeString(root.resolve("32/fd"), "not a directory");
        ProcFs proc = new ProcFs(root);
        assertEquals(5, proc.openFiles(30));
        assertEquals(0, proc.openFiles(31));
        assertEquals(0, proc.openFiles(32));
        assertEquals(0, proc.openFiles(33));
    }

    @Test
    void readsUptimeInClockTicks() throws IOException {
        ProcFs proc = new ProcFs(root);
        assertEquals(OptionalLong.empty(), proc.uptimeTicks());
        new FakeProc(root).uptimeTicks(1234567);
        assertEquals(OptionalLong.of(1234567), proc.uptimeTicks());
        assertEquals(OptionalLong.of(12345670), new ProcFs(root, 1000, 4096).uptimeTicks());
    }

    @Test
    void readsThePageSizeFromTheAuxiliaryVector() throws IOException {
        assumeTrue("64".equals(System.getProperty("sun.arch.data.model")), "the fixture is in 64-bit words");
        ByteBuffer auxv = ByteBuffer.allocate(4 * 16).order(ByteOrder.nativeOrder());
        auxv.putLong(33).putLong(0x7ffd_0000L); // AT_SYSINFO_EHDR
        auxv.putLong(16).putLong(0x178bfbffL); // AT_HWCAP
        auxv.putLong(6).putLong(65536); // AT_PAGESZ
        auxv.putLong(0).putLong(0); // AT_NULL
        Path file = Files.write(root.resolve("auxv"), auxv.array());
        assertEquals(OptionalLong.of(65536), ProcFs.pageSizeFromAuxv(file));
        assertEquals(OptionalLong.empty(), ProcFs.pageSizeFromAuxv(root.resolve("missing")));
        Path withoutPageSize = Files.write(root.resolve("short"), Arrays.copyOf(auxv.array(), 32));
        assertEquals(OptionalLong.empty(), ProcFs.pageSizeFromAuxv(withoutPageSize));
    }

    @Test
    void defaultsAndRejectedSettings() {
        ProcFs proc = new ProcFs(root);
        assertEquals(100, proc.clockTicksPerSecond());
        assertEquals(4096, proc.pageSize());
        assertThrows(IllegalArgumentException.class, () -> new ProcFs(root, 0, 4096));
        assertThrows(IllegalArgumentException.class, () -> new ProcFs(root, 100, -1));
    }

    @Test
    void readsThisJvmFromTheRealProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux procfs");
        ProcFs proc = ProcFs.system();
        long pid = ProcessHandle.current().pid();
        ProcFs.Stat self = proc.stat(pid).orElseThrow();
        assertEquals(pid, self.pid());
        assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L), self.ppid());
        assertTrue(self.threads() > 1, "a JVM runs several threads");
        assertTrue(self.rssPages() > 0 && self.vsizeBytes() > 0);
        assertTrue(self.startTicks() > 0 && self.startTicks() <= proc.uptimeTicks().orElseThrow());
        assertEquals(proc.startTime(pid), proc.startTime(pid));
        assertTrue(proc.sessionMembers(self.session()).contains(pid));
        assertTrue(proc.openFiles(pid) > 0);
        long pageSize = proc.pageSize();
        assertTrue(pageSize >= 4096 && Long.bitCount(pageSize) == 1, "page size " + pageSize);
    }
}
