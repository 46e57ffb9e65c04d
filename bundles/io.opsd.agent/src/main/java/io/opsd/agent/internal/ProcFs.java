package io.opsd.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads per-process figures from a Linux procfs tree. Processes come and go while they are read: a process that
 * vanished, or whose files are not readable to this daemon, reads as absent rather than as an error.
 */
final class ProcFs {

    /** USER_HZ, the unit of the tick fields of /proc/&lt;pid&gt;/stat; 100 on every current Linux architecture. */
    static final long DEFAULT_CLOCK_TICKS_PER_SECOND = 100;
    static final long DEFAULT_PAGE_SIZE = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ProcFs.class);
    private static final Path SYSTEM_PROC = Path.of("/proc");
    private static final Duration SNAPSHOT_MAX_AGE = Duration.ofMillis(500);
    private static final int MAX_PID_DIGITS = 18; // fits a long; real pids have at most 7
    private static final long AUXV_PAGE_SIZE_KEY = 6; // AT_PAGESZ in <elf.h>
    // 1-based field numbers of /proc/<pid>/stat, see proc(5)
    private static final int STATE_FIELD = 3;
    private static final int PPID_FIELD = 4;
    private static final int PGRP_FIELD = 5;
    private static final int SESSION_FIELD = 6;
    private static final int UTIME_FIELD = 14;
    private static final int STIME_FIELD = 15;
    private static final int THREADS_FIELD = 20;
    private static final int START_TIME_FIELD = 22;
    private static final int VSIZE_FIELD = 23;
    private static final int RSS_FIELD = 24;

    /**
     * The fields of /proc/&lt;pid&gt;/stat this daemon uses.
     *
     * @param utimeTicks user CPU time in clock ticks
     * @param stimeTicks system CPU time in clock ticks
     * @param startTicks when the process started, in clock ticks since boot; with the pid it identifies a process
     *                   across pid reuse and daemon restarts
     * @param vsizeBytes virtual memory size
     * @param rssPages resident set size in pages
     */
    record Stat(long pid, long ppid, long pgrp, long session, long utimeTicks, long stimeTicks, long startTicks,
                long vsizeBytes, long rssPages, int threads) {

        long cpuTicks() {
            return utimeTicks + stimeTicks;
        }
    }

    /** The storage counters of /proc/&lt;pid&gt;/io. */
    record Io(long readBytes, long writeBytes) {
    }

    /** One scan of the process table, grouped by session. */
    private record Snapshot(long takenNanos, Map<Long, List<Stat>> bySession) {
    }

    private final Path procRoot;
    private final long clockTicksPerSecond;
    private final long pageSize;
    private final long snapshotMaxAgeNanos;
    private volatile Snapshot snapshot;

    ProcFs(Path procRoot) {
        this(procRoot, DEFAULT_CLOCK_TICKS_PER_SECOND, DEFAULT_PAGE_SIZE);
    }

    ProcFs(Path procRoot, long clockTicksPerSecond, long pageSize) {
        this(procRoot, clockTicksPerSecond, pageSize, Duration.ZERO);
    }

    /**
     * @param snapshotMaxAge how long one scan of the process table may serve {@link #sessionStats}: the samplers of
     *     many agents then share one scan instead of reading all of /proc each
     */
    ProcFs(Path procRoot, long clockTicksPerSecond, long pageSize, Duration snapshotMaxAge) {
        if (clockTicksPerSecond <= 0 || pageSize <= 0) {
            throw new IllegalArgumentException("clock ticks per second and page size must be positive, were "
                + clockTicksPerSecond + " and " + pageSize);
        }
        this.procRoot = procRoot;
        this.clockTicksPerSecond = clockTicksPerSecond;
        this.pageSize = pageSize;
        this.snapshotMaxAgeNanos = snapshotMaxAge.toNanos();
    }

    /** The host's /proc, with the page size the kernel gave this JVM (4096 if that cannot be read). */
    static ProcFs system() {
        return new ProcFs(SYSTEM_PROC, DEFAULT_CLOCK_TICKS_PER_SECOND,
            pageSizeFromAuxv(SYSTEM_PROC.resolve("self/auxv")).orElse(DEFAULT_PAGE_SIZE), SNAPSHOT_MAX_AGE);
    }

    long clockTicksPerSecond() {
        return clockTicksPerSecond;
    }

    long pageSize() {
        return pageSize;
    }

    Optional<Stat> stat(long pid) {
        Optional<String> text = read(procRoot.resolve(Long.toString(pid)).resolve("stat"));
        return text.flatMap(t -> parseStat(pid, t));
    }

    /** Field 22 of /proc/&lt;pid&gt;/stat: when the process started, in clock ticks since boot. */
    OptionalLong startTime(long pid) {
        return stat(pid).map(s -> OptionalLong.of(s.startTicks())).orElse(OptionalLong.empty());
    }

    /**
     * Every process, skipping those that vanish while they are read.
     *
     * @throws UncheckedIOException when the proc root itself cannot be listed
     */
    List<Stat> all() {
        List<Stat> processes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isAllDigits(name)) {
                    stat(Long.parseLong(name)).ifPresent(processes::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + procRoot, e);
        } catch (DirectoryIteratorException e) {
            throw new UncheckedIOException("cannot list " + procRoot, e.getCause());
        }
        return processes;
    }

    /** The processes of session {@code sessionId}: a session leader's whole tree, re-parented children included. */
    List<Stat> sessionStats(long sessionId) {
        return List.copyOf(bySession().getOrDefault(sessionId, List.of()));
    }

    /** Every process by session, from one scan shared for up to the snapshot's age (none when that is zero). */
    private Map<Long, List<Stat>> bySession() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (snapshotMaxAgeNanos <= 0 || s == null || now - s.takenNanos() > snapshotMaxAgeNanos) {
            Map<Long, List<Stat>> bySession = new HashMap<>();
            for (Stat stat : all()) {
                bySession.computeIfAbsent(stat.session(), k -> new ArrayList<>()).add(stat);
            }
            s = new Snapshot(now, bySession);
            if (snapshotMaxAgeNanos > 0) {
                snapshot = s;
            }
        }
        return s.bySession();
    }

    /** The pids of the session now (never from a shared scan: stopping an agent decides on these). */
    List<Long> sessionMembers(long sessionId) {
        return all().stream().filter(s -> s.session() == sessionId).map(Stat::pid).toList();
    }

    /**
     * The pids of the session that are outside its process group of the same id (they made a group of their own):
     * the ones a signal to the group does not reach.
     */
    List<Long> sessionMembersOutsideGroup(long sessionId) {
        return all().stream().filter(s -> s.session() == sessionId && s.pgrp() != sessionId).map(Stat::pid).toList();
    }

    /**
     * The sessions of orphaned processes (re-parented to init) whose environment holds every one of
     * {@code variables}: what an agent's children left when opsd was killed before it had stored the agent's pid.
     */
    Set<Long> orphanSessionsWith(Map<String, String> variables) {
        // from the shared scan: every agent asks at the node's start, and orphans do not appear afterwards
        Set<Long> sessions = new TreeSet<>();
        bySession().forEach((session, members) -> {
            for (Stat s : members) {
                if (s.ppid() == 1 && session > 1 && environmentHas(s.pid(), variables)) {
                    sessions.add(session);
                    return;
                }
            }
        });
        return sessions;
    }

    private boolean environmentHas(long pid, Map<String, String> variables) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException e) {
            return false; // gone, or another user's process
        }
        Set<String> entries = new HashSet<>(Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0")));
        return variables.entrySet().stream().allMatch(v -> entries.contains(v.getKey() + "=" + v.getValue()));
    }

    /** The storage counters; empty when the file is missing or not readable (another user's process). */
    Optional<Io> io(long pid) {
        Optional<String> text = read(procRoot.resolve(Long.toString(pid)).resolve("io"));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong readBytes = ioField(text.get(), "read_bytes");
        OptionalLong writeBytes = ioField(text.get(), "write_bytes");
        if (readBytes.isEmpty() || writeBytes.isEmpty()) {
            LOG.debug("no read_bytes/write_bytes in {}/{}/io", procRoot, pid);
            return Optional.empty();
        }
        return Optional.of(new Io(readBytes.getAsLong(), writeBytes.getAsLong()));
    }

    OptionalLong ioReadBytes(long pid) {
        return io(pid).map(io -> OptionalLong.of(io.readBytes())).orElse(OptionalLong.empty());
    }

    OptionalLong ioWriteBytes(long pid) {
        return io(pid).map(io -> OptionalLong.of(io.writeBytes())).orElse(OptionalLong.empty());
    }

    /** Open file descriptors; 0 when the fd directory is missing or not readable. */
    int openFiles(long pid) {
        int count = 0;
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(
            procRoot.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path ignored : descriptors) {
                count++;
            }
        } catch (IOException | DirectoryIteratorException e) {
            return 0;
        }
        return count;
    }

    /** Time since boot in clock ticks, the clock of {@link Stat#startTicks()}; empty when not readable. */
    OptionalLong uptimeTicks() {
        Optional<String> text = read(procRoot.resolve("uptime"));
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        String[] fields = text.get().trim().split("\\s+");
        try {
            BigDecimal seconds = new BigDecimal(fields[0]);
            return OptionalLong.of(seconds.multiply(BigDecimal.valueOf(clockTicksPerSecond)).longValue());
        } catch (NumberFormatException e) {
            LOG.debug("unreadable {}/uptime: {}", procRoot, text.get());
            return OptionalLong.empty();
        }
    }

    static Optional<Stat> parseStat(long pid, String text) {
        // comm (field 2) is in parentheses and may itself hold spaces and ')': the fields resume after the last ')'
        int commEnd = text.lastIndexOf(')');
        if (commEnd < 0) {
            LOG.debug("no command name in the stat of {}: {}", pid, text);
            return Optional.empty();
        }
        String[] rest = text.substring(commEnd + 1).trim().split("\\s+");
        if (rest.length <= RSS_FIELD - STATE_FIELD) {
            LOG.debug("truncated stat of {}: {}", pid, text);
            return Optional.empty();
        }
        String state = rest[0];
        if (state.equals("Z") || state.equals("X")) {
            // a zombie has ended; it lingers only until its parent (here often a slow init) reaps it
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(pid,
                field(rest, PPID_FIELD), field(rest, PGRP_FIELD), field(rest, SESSION_FIELD),
                field(rest, UTIME_FIELD), field(rest, STIME_FIELD), field(rest, START_TIME_FIELD),
                field(rest, VSIZE_FIELD), field(rest, RSS_FIELD), Math.toIntExact(field(rest, THREADS_FIELD))));
        } catch (NumberFormatException | ArithmeticException e) {
            LOG.debug("malformed stat of {}: {}", pid, text);
            return Optional.empty();
        }
    }

    /** The page size in the ELF auxiliary vector the kernel hands every process (what getpagesize() returns). */
    static OptionalLong pageSizeFromAuxv(Path auxv) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(auxv);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // pairs of native-order words: 8 bytes on a 64-bit JVM, 4 on a 32-bit one
        boolean wide = !"32".equals(System.getProperty("sun.arch.data.model"));
        ByteBuffer words = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int pairBytes = wide ? 16 : 8;
        while (words.remaining() >= pairBytes) {
            long key = wide ? words.getLong() : Integer.toUnsignedLong(words.getInt());
            long value = wide ? words.getLong() : Integer.toUnsignedLong(words.getInt());
            if (key == AUXV_PAGE_SIZE_KEY && value > 0) {
                return OptionalLong.of(value);
            }
        }
        return OptionalLong.empty();
    }

    private static long field(String[] afterComm, int fieldNumber) {
        return Long.parseLong(afterComm[fieldNumber - STATE_FIELD]);
    }

    private static OptionalLong ioField(String text, String name) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equals(name)) {
                try {
                    return OptionalLong.of(Long.parseLong(line.substring(colon + 1).trim()));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean isAllDigits(String name) {
        if (name.isEmpty() || name.length() > MAX_PID_DIGITS) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The file's text, empty when it vanished or cannot be read. */
    private static Optional<String> read(Path file) {
        try {
            // ISO-8859-1 maps every byte: a command name is arbitrary bytes, not necessarily UTF-8
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
