package io.opsd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

class CollectorEngineTest {

    private static final CollectorSchedule FAST = new CollectorSchedule(true, Duration.ofMillis(100),
        Duration.ofMillis(200));
    private final CollectorEngine engine = new CollectorEngine(2, Clock.systemUTC());
    private final CountDownLatch released = new CountDownLatch(1);
    private long nextId = 1;

    @AfterEach
    void stop() {
        released.countDown();
        engine.deactivate();
    }

    private Map<String, Object> props(String name) {
        return Map.of("opsd.collector.name", name, "service.id", nextId++);
    }

    private static Collector counting(String name, AtomicLong calls, CollectorSchedule schedule) {
        return new Collector() {
            @Override
            public MetricSet collect() {
                long n = calls.incrementAndGet();
                return MetricSet.builder(name, Instant.now()).value("calls", n).gauge("calls", "Calls so far", n)
                    .build();
            }

            @Override
            public CollectorSchedule schedule() {
                return schedule;
            }
        };
    }

    @Test
    void aHangingAndAThrowingCollectorNeitherDelayTheOthersAndBothAreReported() {
        AtomicLong healthy = new AtomicLong();
        engine.addCollector(new Collector() {
            @Override
            public MetricSet collect() throws Exception {
                released.await(); // hangs until the test ends, ignoring the timeout's interrupt only by blocking
                return null;
            }

            @Override
            public CollectorSchedule schedule() {
                return FAST;
            }
        }, props("hangs"));
        engine.addCollector(new Collector() {
            @Override
            public MetricSet collect() {
                throw new IllegalStateException("sensor unplugged");
            }

            @Override
            public CollectorSchedule schedule() {
                return FAST;
            }
        }, props("throws"));
        engine.addCollector(counting("healthy", healthy, FAST), props("healthy"));

        await(() -> healthy.get() >= 10, () -> "healthy ran " + healthy.get() + " times");
        await(() -> engine.collectors().get("hangs").timeouts() >= 1, () -> "no timeout reported");
        await(() -> engine.collectors().get("throws").errors() >= 3, () -> "no errors reported");

        CollectorStatus hangs = engine.collectors().get("hangs");
        assertTrue(hangs.stale());
        assertTrue(hangs.lastError().orElseThrow().startsWith("timed out after 200 ms"));
        assertTrue(hangs.skipped() >= 1, "a hung collection is never started twice");
        CollectorStatus throwing = engine.collectors().get("throws");
        assertTrue(throwing.stale());
        assertEquals("IllegalStateException: sensor unplugged", throwing.lastError().orElseThrow());
        assertFalse(engine.collectors().get("healthy").stale());
    }

    @Test
    void rescheduleTouchesOnlyThatCollectorAndDisablingRemovesItsSample() {
        AtomicLong a = new AtomicLong();
        AtomicLong b = new AtomicLong();
        engine.addCollector(counting("a", a, FAST), props("a"));
        Map<String, Object> bProps = props("b");
        CollectorSchedule[] bSchedule = {FAST};
        Collector bCollector = new Collector() {
            @Override
            public MetricSet collect() {
                return MetricSet.builder("b", Instant.now()).value("n", b.incrementAndGet()).build();
            }

            @Override
            public CollectorSchedule schedule() {
                return bSchedule[0];
            }
        };
        engine.addCollector(bCollector, bProps);
        await(() -> b.get() >= 2 && a.get() >= 2, () -> "not started");
        Instant aSince = engine.collectors().get("a").scheduledSince();

        bSchedule[0] = new CollectorSchedule(false, FAST.interval(), FAST.timeout());
        engine.updatedCollector(bCollector, bProps);
        assertTrue(engine.collectors().get("b").latest().isEmpty(), "a disabled collector has no sample");
        assertEquals(aSince, engine.collectors().get("a").scheduledSince(), "a was not rescheduled");

        engine.removeCollector(bCollector, bProps);
        assertFalse(engine.collectors().containsKey("b"));
    }

    @Test
    void duplicateAndReservedNamesAreRefused() {
        engine.addCollector(counting("cpu", new AtomicLong(), FAST), props("cpu"));
        engine.addCollector(counting("cpu", new AtomicLong(), FAST), props("cpu"));
        engine.addCollector(counting("collector", new AtomicLong(), FAST), props("collector"));
        engine.addCollector(counting("Bad-Name", new AtomicLong(), FAST), props("Bad-Name"));
        assertEquals(1, engine.collectors().size());
    }

    @Test
    void theExpositionHasHelpTypeAndOneFamilyPerName() throws Exception {
        AtomicLong calls = new AtomicLong();
        engine.addCollector(counting("demo", calls, FAST), props("demo"));
        await(() -> engine.collectors().get("demo").latest().isPresent(), () -> "no sample");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, PrometheusExposition.snapshots(engine.collectors(),
            Instant.now()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("# HELP opsd_demo_calls Calls so far\n# TYPE opsd_demo_calls gauge\n"), text);
        assertTrue(text.contains("# TYPE opsd_collector_collections_total counter\nopsd_collector_collections_total"
            + "{collector=\"demo\"}"), text);
    }

    private static void await(BooleanSupplier done, java.util.function.Supplier<String> seen) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not reached within 20 s: " + seen.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll interval of a bounded wait
        }
    }
}
