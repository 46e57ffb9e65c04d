package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.agent.internal.ProcFsTest.FakeProc;
import io.opsd.api.store.ResourceSample;

class HealthWatchTest {

    private static final long PID = 4242;
    private static final AgentSettings.Health HEALTH = new AgentSettings.Health(Duration.ofSeconds(10),
        Optional.empty(), Optional.empty(), true, Optional.empty(), 0, 0, Duration.ofSeconds(60));

    @TempDir
    Path proc;

    private final ManualTimers timers = new ManualTimers();
    /** probe rounds submitted to the probe pool, run when the test says */
    private final ArrayDeque<Runnable> probePool = new ArrayDeque<>();
    private final FakeSubject subject = new FakeSubject();
    private int probesBuilt;
    private Supplier<ProbeResult> probe = () -> ProbeResult.ok("fine");

    /** The supervisor's side: run 1 is current and RUNNING until the test says otherwise. */
    private static final class FakeSubject implements HealthWatch.Subject {
        long currentGeneration = 1;
        int samples;
        int healthy;
        final List<String> unhealthy = new ArrayList<>();

        @Override
        public boolean running(long generation) {
            return generation == currentGeneration;
        }

        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public void sampled(ResourceSample sample) {
            samples++;
        }

        @Override
        public void healthy() {
            healthy++;
        }

        @Override
        public void unhealthy(String reason) {
            unhealthy.add(reason);
        }
    }

    private HealthWatch watch() {
        Supplier<List<Supplier<ProbeResult>>> factory = () -> {
            probesBuilt++;
            return List.of(() -> probe.get());
        };
        return new HealthWatch(timers, probePool::add,
            new ProcessTreeSampler(new ProcFs(proc), () -> 0L, () -> Instant.EPOCH), factory, subject, HEALTH);
    }

    /** One health tick, and the probe round it started, if any. */
    private void tick() {
        timers.last().fire();
        while (!probePool.isEmpty()) {
            probePool.poll().run();
        }
    }

    @Test
    void theProbesAreBuiltOnceForManyChecks() {
        HealthWatch watch = watch();
        watch.start(1, PID);
        for (int i = 0; i < 50; i++) {
            tick();
        }
        assertEquals(1, probesBuilt);
        assertEquals(50, subject.samples);
        assertEquals(50, subject.healthy);
    }

    @Test
    void theChecksRunAtTheHealthInterval() {
        watch().start(1, PID);
        assertEquals(HEALTH.interval(), timers.last().delay);
        assertTrue(timers.last().repeats);
    }

    @Test
    void newSettingsBuildTheProbesAnewOnce() {
        HealthWatch watch = watch();
        watch.start(1, PID);
        tick();
        tick();
        watch.settings(HEALTH);
        tick();
        tick();
        assertEquals(2, probesBuilt);
    }

    @Test
    void aStoppedRunLetsItsProbesGoAndTheNextRunBuildsItsOwn() {
        HealthWatch watch = watch();
        watch.start(1, PID);
        tick();
        watch.stop();
        assertTrue(timers.last().cancelled());
        subject.currentGeneration = 2;
        watch.start(2, PID);
        tick();
        tick();
        assertEquals(2, probesBuilt);
    }

    @Test
    void aFailedProbeMakesTheAgentUnhealthy() {
        probe = () -> ProbeResult.failed("connection refused by 127.0.0.1:9100");
        watch().start(1, PID);
        tick();
        assertEquals(List.of("connection refused by 127.0.0.1:9100"), subject.unhealthy);
        assertEquals(0, subject.healthy);
    }

    @Test
    void aRoundUnderWayIsNotStartedTwice() {
        watch().start(1, PID);
        timers.last().fire();
        timers.last().fire();
        timers.last().fire();
        assertEquals(1, probePool.size());
        probePool.poll().run();
        assertEquals(1, subject.healthy);
        timers.last().fire();
        assertEquals(1, probePool.size());
    }

    @Test
    void theResultOfARunThatEndedIsDropped() {
        probe = () -> ProbeResult.failed("HTTP 503 from http://127.0.0.1:9100/metrics");
        watch().start(1, PID);
        timers.last().fire();
        subject.currentGeneration = 2;
        probePool.poll().run();
        assertEquals(List.of(), subject.unhealthy);
    }

    @Test
    void aRunThatIsNotCurrentIsNeitherSampledNorProbed() {
        watch().start(1, PID);
        subject.currentGeneration = 2;
        tick();
        assertEquals(0, subject.samples);
        assertEquals(0, probesBuilt);
    }

    @Test
    void aRunOverTheCpuThresholdIsUnhealthy() throws IOException {
        AgentSettings.Health overHalfACore = new AgentSettings.Health(Duration.ofSeconds(1), Optional.empty(),
            Optional.empty(), true, Optional.empty(), 50, 0, Duration.ZERO);
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        FakeProc fake = new FakeProc(proc).uptimeTicks(1000);
        fake.process(new ProcFs.Stat(PID, 1, PID, PID, 0, 0, 900, 1_000_000, 10, 1), "burn");
        HealthWatch watch = new HealthWatch(timers, probePool::add,
            new ProcessTreeSampler(new ProcFs(proc), nanos::get, () -> Instant.EPOCH), List::of, subject,
            overHalfACore);
        watch.start(1, PID);
        tick();
        assertEquals(List.of(), subject.unhealthy, "the first sample of a run has no interval, so no CPU");

        nanos.addAndGet(1_000_000_000L);
        fake.uptimeTicks(1100).process(new ProcFs.Stat(PID, 1, PID, PID, 100, 0, 900, 1_000_000, 10, 1), "burn");
        tick();
        assertEquals(1, subject.unhealthy.size());
        assertTrue(subject.unhealthy.get(0).startsWith("cpu 100% over the 50% limit"), subject.unhealthy.get(0));
    }
}
