package io.opsd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.opsd.testing.Await;
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
    void aCollectorWithoutItsOwnScheduleRunsOnItsConfigurationAndKeepsTheLastGoodOne() {
        AtomicLong calls = new AtomicLong();
        Collector configured = counting("configured", calls, null);
        Map<String, Object> props = new HashMap<>(props("configured"));
        props.put("service.pid", "io.opsd.collector.configured");
        engine.addCollector(configured, props);
        assertEquals(CollectorSchedule.DEFAULT, engine.collectors().get("configured").schedule(), "no keys: defaults");

        props.putAll(Map.of("interval", "150ms", "timeout", "1s"));
        engine.updatedCollector(configured, props);
        CollectorSchedule edited = new CollectorSchedule(true, Duration.ofMillis(150), Duration.ofSeconds(1));
        assertEquals(edited, engine.collectors().get("configured").schedule());
        await(() -> calls.get() >= 2, () -> "ran " + calls.get() + " times at 150 ms");

        props.put("interval", "soon");
        engine.updatedCollector(configured, props);
        assertEquals(edited, engine.collectors().get("configured").schedule(), "a bad edit keeps the last good one");

        props.putAll(Map.of("interval", "150ms", "enabled", "false"));
        engine.updatedCollector(configured, props);
        assertFalse(engine.collectors().get("configured").schedule().enabled());
        assertTrue(engine.collectors().get("configured").latest().isEmpty(), "a disabled collector has no sample");
    }

    @Test
    void aBadConfigurationWhenTheCollectorAppearsGivesTheDefaultSchedule() {
        Map<String, Object> props = new HashMap<>(props("odd"));
        props.put("interval", "10ms");
        engine.addCollector(counting("odd", new AtomicLong(), null), props);
        assertEquals(CollectorSchedule.DEFAULT, engine.collectors().get("odd").schedule());
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

    /** A wall clock that the test sets forward and back, as an operator or a bad NTP step would. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void stalenessGoesByMonotonicTimeWhenTheWallClockJumpsAnHourForwardOrBack() {
        SettableClock wall = new SettableClock(Instant.parse("2026-03-29T00:59:00Z"));
        AtomicLong nanos = new AtomicLong(42_000_000_000L);
        CollectorEngine jumping = new CollectorEngine(1, wall, nanos::get);
        // one collection at the start, then none for an hour; the sample is stamped with the wall clock
        CollectorSchedule hourly = new CollectorSchedule(true, Duration.ofHours(1), Duration.ofSeconds(5));
        AtomicLong calls = new AtomicLong();
        try {
            jumping.addCollector(new Collector() {
                @Override
                public MetricSet collect() {
                    calls.incrementAndGet();
                    return MetricSet.builder("hourly", wall.instant()).value("x", 1).build();
                }

                @Override
                public CollectorSchedule schedule() {
                    return hourly;
                }
            }, props("hourly"));
            await(() -> jumping.collectors().get("hourly").latest().isPresent(), () -> "no sample");
            assertFalse(jumping.collectors().get("hourly").stale());

            wall.now = wall.now.plus(Duration.ofHours(3)); // set forward: the sample is seconds old, not hours
            nanos.addAndGet(Duration.ofSeconds(10).toNanos());
            assertFalse(jumping.collectors().get("hourly").stale(), "stale after the clock was set 3 h forward");

            wall.now = wall.now.minus(Duration.ofHours(4)); // set back: the sample now looks an hour in the future
            nanos.addAndGet(Duration.ofHours(2).toNanos() + Duration.ofSeconds(10).toNanos());
            assertTrue(jumping.collectors().get("hourly").stale(),
                "older than 2 intervals + timeout by the monotonic clock, whatever its wall stamp says");
            assertEquals(1, calls.get(), "the hourly collector ran once");
        } finally {
            jumping.deactivate();
        }
    }

    private static void await(BooleanSupplier done, java.util.function.Supplier<String> seen) {
        Await.until(Duration.ofSeconds(20), done, seen);
    }
}
