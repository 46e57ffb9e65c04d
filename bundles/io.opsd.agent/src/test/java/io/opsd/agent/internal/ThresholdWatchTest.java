package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.store.ResourceSample;

class ThresholdWatchTest {

    @TempDir
    Path procRoot;

    /** an arbitrary origin of the monotonic clock, as System.nanoTime() has one */
    private static final long T0_NANOS = 7_000_000_000L;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final Duration MINUTE = Duration.ofSeconds(60);

    private static long at(long seconds) {
        return T0_NANOS + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void cpuFiresOnlyOnceOverForTheDuration() {
        ThresholdWatch watch = new ThresholdWatch(50, 0, MINUTE);
        assertEquals(Optional.empty(), watch.observe(at(0), 87.5, MIB));
        assertEquals(Optional.empty(), watch.observe(at(30), 90, MIB));
        assertEquals(Optional.empty(), watch.observe(at(59), 90, MIB));
        assertEquals(Optional.of("cpu 87.5% over the 50% limit for 60s"), watch.observe(at(60), 87.5, MIB));
        assertEquals(Optional.of("cpu 95% over the 50% limit for 75s"), watch.observe(at(75), 95, MIB),
            "keeps reporting while the run goes on");
    }

    @Test
    void aDipResetsTheRun() {
        ThresholdWatch watch = new ThresholdWatch(50, 0, MINUTE);
        watch.observe(at(0), 80, 0);
        watch.observe(at(50), 80, 0);
        assertEquals(Optional.empty(), watch.observe(at(55), 40, 0));
        assertEquals(Optional.empty(), watch.observe(at(60), 80, 0), "the run starts again at 60");
        assertEquals(Optional.empty(), watch.observe(at(119), 80, 0));
        assertEquals(Optional.of("cpu 80% over the 50% limit for 60s"), watch.observe(at(120), 80, 0));
    }

    @Test
    void valueAtTheLimitIsNotOver() {
        ThresholdWatch watch = new ThresholdWatch(50, GIB, Duration.ZERO);
        assertEquals(Optional.empty(), watch.observe(at(0), 50, GIB));
    }

    @Test
    void zeroDurationFiresOnTheFirstObservationOver() {
        ThresholdWatch watch = new ThresholdWatch(50, 0, Duration.ZERO);
        assertEquals(Optional.of("cpu 50.1% over the 50% limit for 0s"), watch.observe(at(0), 50.1, 0));
    }

    @Test
    void rssFiresOnItsOwn() {
        ThresholdWatch watch = new ThresholdWatch(0, GIB, MINUTE);
        assertEquals(Optional.empty(), watch.observe(at(0), 400, GIB + GIB / 2));
        assertEquals(Optional.of("rss 1.5GiB over the 1GiB limit for 60s"),
            watch.observe(at(60), 400, GIB + GIB / 2));
    }

    @Test
    void eachMetricHasItsOwnRun() {
        ThresholdWatch watch = new ThresholdWatch(50, 512 * MIB, MINUTE);
        watch.observe(at(0), 80, 100 * MIB);
        watch.observe(at(30), 80, 600 * MIB);
        assertEquals(Optional.empty(), watch.observe(at(45), 10, 600 * MIB), "cpu dipped; rss run is 15s old");
        assertEquals(Optional.empty(), watch.observe(at(60), 80, 600 * MIB), "cpu dipped at 45; rss run is 30s");
        assertEquals(Optional.of("rss 600MiB over the 512MiB limit for 60s"), watch.observe(at(90), 80, 600 * MIB));
        assertEquals(Optional.of("cpu 80% over the 50% limit for 60s; rss 600MiB over the 512MiB limit for 90s"),
            watch.observe(at(120), 80, 600 * MIB));
    }

    @Test
    void disabledLimitsNeverFire() {
        ThresholdWatch watch = new ThresholdWatch(0, -1, Duration.ZERO);
        for (long second = 0; second <= 3600; second += 60) {
            assertEquals(Optional.empty(), watch.observe(at(second), 1_000, Long.MAX_VALUE));
        }
    }

    @Test
    void unknownValuesAreNotOver() {
        ThresholdWatch watch = new ThresholdWatch(50, GIB, MINUTE);
        watch.observe(at(0), 80, 2 * GIB);
        watch.observe(at(30), Double.NaN, -1);
        assertEquals(Optional.empty(), watch.observe(at(60), 80, 2 * GIB));
    }

    @Test
    void resetForgetsBothRuns() {
        ThresholdWatch watch = new ThresholdWatch(50, GIB, MINUTE);
        watch.observe(at(0), 80, 2 * GIB);
        watch.reset();
        assertEquals(Optional.empty(), watch.observe(at(60), 80, 2 * GIB));
        assertEquals(Optional.of("cpu 80% over the 50% limit for 60s; rss 2GiB over the 1GiB limit for 60s"),
            watch.observe(at(120), 80, 2 * GIB));
    }

    @Test
    void aWallClockSetAnHourForwardOrBackNeitherFiresEarlyNorStretchesTheRun() throws IOException {
        // what the supervisor does every health interval: sample the agent's tree, then observe it on the monotonic
        // clock; the sample's own time is wall time and jumps
        ProcFsTest.FakeProc proc = new ProcFsTest.FakeProc(procRoot).uptimeTicks(1000);
        AtomicLong nanos = new AtomicLong(at(0));
        AtomicReference<Instant> wall = new AtomicReference<>(Instant.parse("2026-03-29T01:59:50Z"));
        ProcessTreeSampler sampler = new ProcessTreeSampler(new ProcFs(procRoot), nanos::get, wall::get);
        ThresholdWatch watch = new ThresholdWatch(50, 0, MINUTE);
        long cpuTicks = 0;
        proc.process(new ProcFs.Stat(500, 1, 500, 500, cpuTicks, 0, 900, 1, 1, 1), "busy");
        sampler.sample(500);

        List<Duration> jumps = List.of(Duration.ofHours(1), Duration.ZERO, Duration.ofHours(-1), Duration.ZERO,
            Duration.ofHours(-1), Duration.ZERO, Duration.ofHours(1));
        for (int i = 0; i < jumps.size(); i++) {
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
            wall.set(wall.get().plus(jumps.get(i)).plusSeconds(10));
            proc.uptimeTicks(1000 + 1000L * (i + 1));
            cpuTicks += 800; // 8 s of CPU in each 10 s
            proc.process(new ProcFs.Stat(500, 1, 500, 500, cpuTicks, 0, 900, 1, 1, 1), "busy");
            ResourceSample sample = sampler.sample(500);
            assertEquals(wall.get(), sample.time());
            assertEquals(80, sample.cpuPercent(), 1e-9, "after a jump of " + jumps.get(i));
            Optional<String> over = watch.observe(nanos.get(), sample.cpuPercent(), sample.rssBytes());
            long secondsOver = 10L * i; // the run starts at the first interval over the limit
            if (secondsOver < 60) {
                assertEquals(Optional.empty(), over, "over for " + secondsOver + " s only, after a jump of "
                    + jumps.get(i));
            } else {
                assertEquals(Optional.of("cpu 80% over the 50% limit for 60s"), over);
            }
        }
    }

    @Test
    void newLimitsApplyInPlace() {
        ThresholdWatch watch = new ThresholdWatch(50, GIB, MINUTE);
        watch.observe(at(0), 80, 2 * GIB);
        watch.limits(50, 0, Duration.ofSeconds(30));
        assertEquals(Optional.of("cpu 80% over the 50% limit for 30s"), watch.observe(at(30), 80, 2 * GIB),
            "an unchanged limit keeps its run, judged by the new duration; rss is now off");
        watch.limits(70, GIB, Duration.ofSeconds(30));
        assertEquals(Optional.empty(), watch.observe(at(40), 80, 2 * GIB), "a changed limit starts over");
        assertEquals(Optional.of("cpu 80% over the 70% limit for 30s; rss 2GiB over the 1GiB limit for 30s"),
            watch.observe(at(70), 80, 2 * GIB));
        watch.limits(0, 0, Duration.ZERO);
        assertEquals(Optional.empty(), watch.observe(at(80), 80, 2 * GIB));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ThresholdWatch(Double.NaN, 0, MINUTE));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdWatch(50, 0, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> new ThresholdWatch(50, 0, null));
        ThresholdWatch watch = new ThresholdWatch(50, 0, MINUTE);
        assertThrows(IllegalArgumentException.class, () -> watch.limits(50, 0, Duration.ofSeconds(-1)));
    }
}
