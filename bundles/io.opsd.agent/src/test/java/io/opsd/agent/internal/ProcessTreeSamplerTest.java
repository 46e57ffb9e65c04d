package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.agent.internal.ProcFsTest.FakeProc;
import io.opsd.api.store.ResourceSample;
import io.opsd.testing.Await;

class ProcessTreeSamplerTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final long LEADER = 500;
    private static final long CHILD = 501;

    @TempDir
    Path root;

    private FakeProc proc;
    private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
    private ProcessTreeSampler sampler;

    @BeforeEach
    void setUp() throws IOException {
        proc = new FakeProc(root).uptimeTicks(1000);
        sampler = new ProcessTreeSampler(new ProcFs(root), nanos::get, () -> T0.plusNanos(nanos.get()));
    }

    /** A member of the agent's session with the given CPU ticks (user ticks; system ticks are 0). */
    private void process(long pid, long ppid, long session, long startTicks, long cpuTicks) throws IOException {
        proc.process(new ProcFs.Stat(pid, ppid, session, session, cpuTicks, 0, startTicks, 1_000_000, 10, 1), "p");
    }

    /** Moves the monotonic clock and the kernel's uptime on together. */
    private void advanceSeconds(long seconds) throws IOException {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        long uptime = new ProcFs(root).uptimeTicks().orElseThrow();
        proc.uptimeTicks(uptime + 100 * seconds);
    }

    @Test
    void theFirstSampleReportsNoCpuThenTheShareOfTheInterval() throws IOException {
        proc.process(new ProcFs.Stat(LEADER, 1, LEADER, LEADER, 50, 50, 900, 1, 1, 1), "agent");
        assertEquals(0, sampler.sample(LEADER).cpuPercent());
        advanceSeconds(2);
        proc.process(new ProcFs.Stat(LEADER, 1, LEADER, LEADER, 150, 90, 900, 1, 1, 1), "agent");
        // 100 user + 40 system ticks = 1.4 s of CPU in 2 s
        assertEquals(70, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void cpuIsOverTheIntervalNotTheLifetime() throws IOException {
        process(LEADER, 1, LEADER, 10, 1_000_000);
        sampler.sample(LEADER);
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 10, 1_000_010);
        assertEquals(10, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void severalBusyCoresGiveMoreThanOneHundredPercent() throws IOException {
        process(LEADER, 1, LEADER, 900, 0);
        process(CHILD, LEADER, LEADER, 900, 0);
        sampler.sample(LEADER);
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 100);
        process(CHILD, LEADER, LEADER, 900, 90);
        assertEquals(190, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void aProcessExitingBetweenSamplesDoesNotTakeItsTimeAway() throws IOException {
        process(LEADER, 1, LEADER, 900, 100);
        process(CHILD, LEADER, LEADER, 950, 500);
        sampler.sample(LEADER);
        advanceSeconds(1);
        proc.remove(CHILD);
        process(LEADER, 1, LEADER, 900, 120);
        assertEquals(20, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void aNewProcessCountsAllItsTimeOnlyIfItStartedAfterThePreviousSample() throws IOException {
        process(LEADER, 1, LEADER, 900, 100);
        sampler.sample(LEADER); // uptime 1000 ticks
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 110);
        process(CHILD, LEADER, LEADER, 1050, 30); // forked during the interval
        process(502, 1, LEADER, 950, 400); // older, but the previous scan missed it: no spike
        assertEquals(40, sampler.sample(LEADER).cpuPercent(), 1e-9);
        advanceSeconds(1);
        process(CHILD, LEADER, LEADER, 1050, 35);
        process(502, 1, LEADER, 950, 420);
        assertEquals(25, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void withoutUptimeANewProcessCountsFromItsFirstSample() throws IOException {
        Files.delete(root.resolve("uptime"));
        process(LEADER, 1, LEADER, 900, 100);
        sampler.sample(LEADER);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        process(LEADER, 1, LEADER, 900, 110);
        process(CHILD, LEADER, LEADER, 1050, 30);
        assertEquals(10, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void aReusedPidIsANewProcessNotANegativeDifference() throws IOException {
        process(LEADER, 1, LEADER, 900, 100);
        process(CHILD, LEADER, LEADER, 950, 900);
        sampler.sample(LEADER);
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 100);
        process(CHILD, LEADER, LEADER, 1060, 5); // the old 501 exited, a new one got its pid
        assertEquals(5, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void aCounterGoingBackwardsCountsNothingThenCountsOnFromTheNewValue() throws IOException {
        process(LEADER, 1, LEADER, 900, 500);
        sampler.sample(LEADER);
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 300);
        assertEquals(0, sampler.sample(LEADER).cpuPercent());
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 350);
        assertEquals(50, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void resetStartsOverWithoutAnInterval() throws IOException {
        process(LEADER, 1, LEADER, 900, 100);
        sampler.sample(LEADER);
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 200);
        sampler.reset();
        assertEquals(0, sampler.sample(LEADER).cpuPercent());
        advanceSeconds(1);
        process(LEADER, 1, LEADER, 900, 230);
        assertEquals(30, sampler.sample(LEADER).cpuPercent(), 1e-9);
    }

    @Test
    void noTimePassingGivesNoCpuRatherThanInfinity() throws IOException {
        process(LEADER, 1, LEADER, 900, 100);
        sampler.sample(LEADER);
        process(LEADER, 1, LEADER, 900, 200);
        assertEquals(0, sampler.sample(LEADER).cpuPercent());
    }

    @Test
    void sumsMemoryStorageFilesAndThreadsOverTheSessionOnly() throws IOException {
        proc.process(new ProcFs.Stat(LEADER, 1, LEADER, LEADER, 0, 0, 900, 100_000, 10, 4), "agent")
            .io(LEADER, 1000, 2000).openFiles(LEADER, 3)
            .process(new ProcFs.Stat(CHILD, 1, LEADER, LEADER, 0, 0, 950, 50_000, 5, 2), "reparented child")
            .openFiles(CHILD, 2) // no io file: counts 0
            .process(new ProcFs.Stat(600, 1, 600, 600, 0, 0, 900, 9_999_999, 999, 99), "other agent")
            .io(600, 999_999, 999_999).openFiles(600, 9);
        ResourceSample sample = sampler.sample(LEADER);
        assertEquals(new ResourceSample(T0.plusNanos(nanos.get()), 0, 15 * 4096, 150_000, 1000, 2000, 5, 6), sample);
    }

    @Test
    void anEmptySessionGivesZeros() {
        assertEquals(new ResourceSample(T0.plusNanos(nanos.get()), 0, 0, 0, 0, 0, 0, 0), sampler.sample(LEADER));
    }

    @Test
    void measuresABusyChildInItsOwnSessionFromTheRealProc(@TempDir Path work) throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")) && Files.isExecutable(setsid),
            "needs Linux procfs and setsid");
        Path busy = Files.writeString(work.resolve("Busy.java"), """
            public class Busy {
                public static void main(String[] args) {
                    long spins = 0;
                    while (spins >= 0) {
                        spins++;
                    }
                    System.out.println(spins);
                }
            }
            """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(setsid.toString(), java.toString(), "-Xmx32m", "-XX:+UseSerialGC",
            busy.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            ProcFs procFs = ProcFs.system();
            long pid = process.pid();
            Await.until(Duration.ofSeconds(20), () -> process.isAlive()
                && procFs.stat(pid).map(s -> s.session() == pid && s.pgrp() == pid).orElse(false),
                () -> "the child leads its own session");
            OptionalLong startTime = procFs.startTime(pid);
            assertTrue(startTime.isPresent());

            ProcessTreeSampler realSampler = new ProcessTreeSampler(procFs, System::nanoTime, Instant::now);
            assertEquals(0, realSampler.sample(pid).cpuPercent());
            long ticksAtFirstSample = sessionCpuTicks(procFs, pid);
            Await.until(Duration.ofSeconds(30), () -> process.isAlive()
                && sessionCpuTicks(procFs, pid) >= ticksAtFirstSample + 20, () -> "the child used 0.2 s of CPU");
            ResourceSample second = realSampler.sample(pid);

            assertTrue(second.cpuPercent() > 0, "cpu " + second.cpuPercent());
            assertTrue(second.rssBytes() > 0, "rss " + second.rssBytes());
            assertTrue(second.vmsBytes() >= second.rssBytes(), "vms " + second.vmsBytes());
            assertTrue(second.threads() >= 1, "threads " + second.threads());
            assertTrue(second.openFiles() > 0, "open files " + second.openFiles());
            assertEquals(startTime, procFs.startTime(pid), "the start time identifies the process");
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the child exited");
        }
    }

    private static long sessionCpuTicks(ProcFs procFs, long sessionId) {
        return procFs.sessionStats(sessionId).stream().mapToLong(ProcFs.Stat::cpuTicks).sum();
    }
}
