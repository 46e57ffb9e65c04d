package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.collector.MetricsView;
import io.opsd.testing.Await;
import io.opsd.testing.Http;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class MetricsIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final List<String> BUILT_IN = List.of("cpu", "disk", "load", "memory", "network");
    /** contracts.md §2.1: the keys the Manager stores. */
    private static final Map<String, List<String>> CONTRACT_KEYS = Map.of(
        "cpu", List.of("usage_percent", "cores", "mhz", "user", "system", "idle", "iowait"),
        "memory", List.of("total_bytes", "used_bytes", "free_bytes", "available_bytes", "usage_percent", "cached",
            "buffers", "swap_total", "swap_used", "swap_free", "swap_percent", "total", "available", "used", "free"),
        "disk", List.of("total_bytes", "used_bytes", "free_bytes", "usage_percent", "read_bytes", "write_bytes",
            "partition_count"),
        "network", List.of("rx_bytes", "tx_bytes", "bytes_sent", "bytes_recv", "packets_sent", "packets_recv",
            "error_in", "error_out", "drop_in", "drop_out", "interface_count", "interval_seconds"),
        "load", List.of("load1", "load5", "load15", "processes", "threads", "uptime_seconds"));

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    MetricsView metrics;

    @Test
    void everyCollectorPublishesEveryContractKeyWithAPlausibleValue() {
        Await.until(LIMIT, () -> BUILT_IN.stream().allMatch(this::hasAllKeys), this::missingKeys);
        Map<String, Double> cpu = values("cpu");
        assertTrue(cpu.get("usage_percent") >= 0 && cpu.get("usage_percent") <= 100, "cpu " + cpu);
        assertTrue(cpu.get("cores") >= 1 && cpu.get("idle") > 0, "cpu " + cpu);
        Map<String, Double> memory = values("memory");
        assertTrue(memory.get("total_bytes") > 0 && memory.get("used_bytes") <= memory.get("total_bytes"),
            "memory " + memory);
        assertEquals(memory.get("total_bytes"), memory.get("total"), "alias");
        assertTrue(memory.get("usage_percent") > 0 && memory.get("usage_percent") < 100, "memory " + memory);
        Map<String, Double> disk = values("disk");
        assertTrue(disk.get("total_bytes") > 0 && disk.get("partition_count") >= 1, "disk " + disk);
        Map<String, Double> network = values("network");
        assertTrue(network.get("interval_seconds") > 0 && network.get("rx_bytes") >= 0, "network " + network);
        Map<String, Double> load = values("load");
        assertTrue(load.get("processes") >= 1 && load.get("threads") >= load.get("processes")
            && load.get("uptime_seconds") > 0, "load " + load);
        for (String name : BUILT_IN) {
            CollectorStatus status = metrics.collector(name).orElseThrow();
            assertFalse(status.stale(), name + " is stale: " + status.lastError());
            assertEquals(0, status.errors(), name + " errors: " + status.lastError());
        }
    }

    @Test
    void slashMetricsParsesWithPrometheusOwnParserAndCarriesEverySeries() throws Exception {
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> BUILT_IN.stream().allMatch(this::hasAllKeys), this::missingKeys);
        Http.Response response = home.get("/metrics");
        assertEquals(200, response.status());
        assertTrue(response.contentType().startsWith("text/plain; version=0.0.4"), response.contentType());
        String text = response.body();
        for (String family : List.of("opsd_cpu_usage_ratio", "opsd_cpu_seconds_total", "opsd_memory_total_bytes",
            "opsd_disk_used_bytes", "opsd_network_receive_bytes_total", "opsd_load_load1",
            "opsd_collector_duration_seconds", "opsd_collector_stale")) {
            assertTrue(text.contains("\n# TYPE " + family + " "), family + " missing from\n" + text);
        }
        assumeTrue(Promtool.available(), "promtool (Debian package prometheus) is not installed; .ci/run installs it");
        assertEquals("", Promtool.check(text), "promtool check metrics");
    }

    @Test
    void aHangingAndAThrowingCollectorDelayNoOtherAndAreReportedStale() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CollectorSchedule fast = new CollectorSchedule(true, Duration.ofMillis(200), Duration.ofMillis(300));
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        try {
            registrations.add(register("itest_hangs", new Collector() {
                @Override
                public MetricSet collect() throws Exception {
                    release.await();
                    throw new IllegalStateException("released");
                }

                @Override
                public CollectorSchedule schedule() {
                    return fast;
                }
            }));
            registrations.add(register("itest_throws", new Collector() {
                @Override
                public MetricSet collect() {
                    throw new IllegalStateException("sensor unplugged");
                }

                @Override
                public CollectorSchedule schedule() {
                    return fast;
                }
            }));
            Map<String, Long> before = collections();
            Await.until(LIMIT, () -> metrics.collector("itest_hangs").map(CollectorStatus::timeouts).orElse(0L) >= 2
                && metrics.collector("itest_throws").map(CollectorStatus::errors).orElse(0L) >= 2,
                () -> "not reported yet: " + metrics.collectors().keySet());
            // while one collection hangs, every built-in collector keeps collecting at its own interval
            Await.until(LIMIT, () -> BUILT_IN.stream().allMatch(n -> collections().get(n) >= before.get(n) + 2),
                () -> "built-in collections stalled: " + before + " -> " + collections());
            assertTrue(metrics.collector("itest_hangs").orElseThrow().stale());
            assertEquals("IllegalStateException: sensor unplugged",
                metrics.collector("itest_throws").orElseThrow().lastError().orElseThrow());
            String text = new NodeHome(context).get("/metrics").body();
            assertTrue(text.contains("opsd_collector_stale{collector=\"itest_hangs\"} 1.0"), text);
            assertTrue(text.contains("opsd_collector_stale{collector=\"itest_throws\"} 1.0"), text);
            assertTrue(text.contains("opsd_collector_stale{collector=\"cpu\"} 0.0"), text);
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
            release.countDown();
        }
        Await.until(LIMIT, () -> !metrics.collectors().containsKey("itest_hangs"), () -> "still listed");
    }

    @Test
    void theExampleCollectorDroppedInDeployPublishesAndLeavesWithoutTouchingTheBuiltIns() throws Exception {
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> BUILT_IN.stream().allMatch(n -> metrics.collector(n).isPresent()),
            () -> "built-ins not running: " + metrics.collectors().keySet());
        Map<String, Instant> since = new TreeMap<>();
        BUILT_IN.forEach(n -> since.put(n, metrics.collector(n).orElseThrow().scheduledSince()));
        Map<String, Long> before = collections();
        Instant windowStart = Instant.now();
        List<String> disturbances = new CopyOnWriteArrayList<>();
        AtomicReference<Instant> installed = new AtomicReference<>();
        BundleListener listener = e -> {
            String bsn = e.getBundle().getSymbolicName();
            if ("io.opsd.example.filehandles".equals(bsn)) {
                if (e.getType() == BundleEvent.INSTALLED) {
                    installed.set(Instant.now());
                }
            } else {
                disturbances.add(bsn + " event " + e.getType());
            }
        };
        context.addBundleListener(listener);
        Path deployed = home.deployDir().resolve("io.opsd.example.filehandles.jar");
        try {
            Path staged = deployed.resolveSibling(".filehandles.staged");
            Files.copy(home.fixture("io.opsd.example.filehandles"), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            Await.until(LIMIT, () -> metrics.collector("filehandles").flatMap(CollectorStatus::latest).isPresent(),
                () -> "the example never published");
            MetricSet first = metrics.collector("filehandles").orElseThrow().latest().orElseThrow();
            Duration latency = Duration.between(installed.get(), first.time());
            assertTrue(latency.compareTo(Duration.ofSeconds(1)) <= 0, "install to first sample took " + latency);
            assertTrue(first.values().get("max") > 0, first.values().toString());
            Await.until(LIMIT, () -> body(home).contains("\nopsd_filehandles_in_use "), () -> "not in /metrics");

            Files.delete(deployed);
            Await.until(LIMIT, () -> metrics.collector("filehandles").isEmpty(), () -> "still scheduled");
            Await.until(LIMIT, () -> !body(home).contains("opsd_filehandles_"), () -> "series still in /metrics");
        } finally {
            Files.deleteIfExists(deployed);
            context.removeBundleListener(listener);
        }
        assertEquals(List.of(), disturbances, "no other bundle was refreshed or restarted");
        double elapsed = Duration.between(windowStart, Instant.now()).toMillis() / 1000.0;
        for (String n : BUILT_IN) {
            CollectorStatus s = metrics.collector(n).orElseThrow();
            assertEquals(since.get(n), s.scheduledSince(), n + " was rescheduled");
            double expected = elapsed / s.schedule().interval().toMillis() * 1000;
            long done = s.collections() - before.get(n);
            assertTrue(Math.abs(done - expected) <= 2, n + ": " + done + " collections in " + elapsed + " s at "
                + s.schedule().interval() + " (no tick missed or doubled)");
        }
    }

    @Test
    void editingTheCpuFileReschedulesOnlyTheCpuCollectorAndDisablingRemovesItsSeries() throws Exception {
        NodeHome home = new NodeHome(context);
        Path cfg = home.configDir().resolve("io.opsd.collector.cpu.cfg");
        String original = Files.readString(cfg);
        Await.until(LIMIT, () -> BUILT_IN.stream().allMatch(n -> metrics.collector(n).isPresent()),
            () -> "built-ins not running");
        Map<String, Instant> since = new TreeMap<>();
        BUILT_IN.forEach(n -> since.put(n, metrics.collector(n).orElseThrow().scheduledSince()));
        try {
            NodeHome.writeAtomically(cfg, "interval = 700ms\ntimeout = 2s\n");
            Await.until(LIMIT, () -> metrics.collector("cpu").orElseThrow().schedule().interval()
                .equals(Duration.ofMillis(700)), () -> "cpu interval " + metrics.collector("cpu"));

            NodeHome.writeAtomically(cfg, "interval = soon\ntimeout = 2s\n");
            String expected = "io.opsd.collector.cpu (" + cfg + "): interval = \"soon\" is not a duration";
            Await.until(LIMIT, () -> read(home.log()).contains(expected), () -> "no line saying " + expected);
            assertEquals(Duration.ofMillis(700), metrics.collector("cpu").orElseThrow().schedule().interval(),
                "the last good interval stays");

            NodeHome.writeAtomically(cfg, "enabled = false\ninterval = 700ms\ntimeout = 2s\n");
            Await.until(LIMIT, () -> !metrics.collector("cpu").orElseThrow().schedule().enabled(), () -> "enabled");
            Await.until(LIMIT, () -> !body(home).contains("\nopsd_cpu_"), () -> "cpu series still served");
            assertTrue(metrics.collector("cpu").orElseThrow().latest().isEmpty());
        } finally {
            NodeHome.writeAtomically(cfg, original);
        }
        Await.until(LIMIT, () -> metrics.collector("cpu").orElseThrow().schedule().enabled()
            && metrics.collector("cpu").orElseThrow().latest().isPresent(), () -> "cpu not back");
        for (String n : List.of("disk", "load", "memory", "network")) {
            assertEquals(since.get(n), metrics.collector(n).orElseThrow().scheduledSince(), n + " was rescheduled");
        }
    }

    private ServiceRegistration<Collector> register(String name, Collector collector) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("opsd.collector.name", name);
        return context.registerService(Collector.class, collector, props);
    }

    private Map<String, Long> collections() {
        Map<String, Long> counts = new TreeMap<>();
        metrics.collectors().forEach((n, s) -> counts.put(n, s.collections()));
        return counts;
    }

    private boolean hasAllKeys(String collector) {
        return metrics.collector(collector).flatMap(CollectorStatus::latest)
            .map(set -> set.values().keySet().containsAll(CONTRACT_KEYS.get(collector))).orElse(false);
    }

    private String missingKeys() {
        Map<String, Object> missing = new TreeMap<>();
        for (String c : BUILT_IN) {
            Set<String> have = metrics.collector(c).flatMap(CollectorStatus::latest).map(s -> s.values().keySet())
                .orElse(Set.of());
            List<String> lack = new ArrayList<>(CONTRACT_KEYS.get(c));
            lack.removeAll(have);
            missing.put(c, lack);
        }
        return "missing keys " + missing;
    }

    private Map<String, Double> values(String collector) {
        return metrics.collector(collector).orElseThrow().latest().orElseThrow().values();
    }

    private static String body(NodeHome home) {
        try {
            return home.get("/metrics").body();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
