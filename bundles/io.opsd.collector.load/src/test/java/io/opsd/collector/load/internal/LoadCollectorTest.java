package io.opsd.collector.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;

class LoadCollectorTest {

    @TempDir
    Path proc;

    static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.collector.load");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.collector.load.cfg");
        return props;
    }

    MetricSet collect(String loadavg, String uptime, int logicalCpus) throws IOException {
        for (String pid : new String[] {"1", "42", "4711"}) {
            Files.createDirectories(proc.resolve(pid));
        }
        Files.createDirectories(proc.resolve("sys"));
        Files.createDirectories(proc.resolve("self1"));
        Files.writeString(proc.resolve("loadavg"), loadavg);
        Files.writeString(proc.resolve("uptime"), uptime);
        return new LoadCollector(proc, logicalCpus, props(Map.of())).collect();
    }

    static double gauge(MetricSet set, String name) {
        return set.samples().stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no sample " + name)).value();
    }

    @Test
    void readsLoadTasksAndUptime() throws IOException {
        MetricSet set = collect("2.40 1.20 0.60 3/1234 56789\n", "3600.50 7000.25\n", 4);
        Map<String, Double> v = set.values();
        assertEquals("load", set.collector());
        assertEquals(2.40, v.get("load1"));
        assertEquals(1.20, v.get("load5"));
        assertEquals(0.60, v.get("load15"));
        assertEquals(0.60, v.get("load1_per_core"), 1e-9);
        assertEquals(3.0, v.get("procs_running"));
        assertEquals(1234.0, v.get("threads"));
        assertEquals(3.0, v.get("processes"), "the all-digit entries of proc");
        assertEquals(3600.50, v.get("uptime_seconds"));
        assertEquals(2.40, gauge(set, "load1"));
        assertEquals(1234.0, gauge(set, "threads"));
        assertEquals(3.0, gauge(set, "procs_running"));
        assertEquals(3600.50, gauge(set, "uptime_seconds"));
        double expectedBoot = set.time().toEpochMilli() / 1000.0 - 3600.50;
        assertEquals(expectedBoot, gauge(set, "boot_time_seconds"), 1e-6);
        assertFalse(v.containsKey("boot_time_seconds"), "boot time is for Prometheus only");
        assertTrue(set.samples().stream().allMatch(s -> s.type() == MetricSet.Sample.Type.GAUGE));
    }

    @Test
    void withoutAKnownCpuCountThereIsNoLoadPerCore() throws IOException {
        MetricSet set = collect("0.00 0.01 0.05 1/80 100", "12.00 20.00", 0);
        assertFalse(set.values().containsKey("load1_per_core"));
        assertEquals(0.0, set.values().get("load1"));
    }

    @Test
    void aLoadavgOfAnotherShapeFailsTheCollectionNamingTheFile() throws IOException {
        IOException e = assertThrows(IOException.class, () -> collect("0.00 0.01 0.05", "12.00 20.00", 2));
        assertTrue(e.getMessage().contains("loadavg"), e.getMessage());
        e = assertThrows(IOException.class, () -> collect("0.00 0.01 0.05 1/80 100", "soon", 2));
        assertTrue(e.getMessage().contains("uptime"), e.getMessage());
    }

    @Test
    void readsTheRealProc() throws IOException {
        LoadCollector real = new LoadCollector(Path.of("/proc"), Runtime.getRuntime().availableProcessors(),
            props(Map.of()));
        MetricSet set = real.collect();
        Map<String, Double> v = set.values();
        assertTrue(v.get("load1") >= 0 && v.get("load5") >= 0 && v.get("load15") >= 0, v.toString());
        assertTrue(v.get("procs_running") >= 1, "the reading thread runs: " + v);
        assertTrue(v.get("threads") >= v.get("procs_running"), v.toString());
        assertTrue(v.get("uptime_seconds") > 0, v.toString());
        double bootTime = gauge(set, "boot_time_seconds");
        assertTrue(bootTime > 0 && bootTime < set.time().getEpochSecond(), "boot time " + bootTime);
        assertTrue(v.containsKey("load1_per_core"));
    }

    @Test
    void theCpuCountIsAskedAtTheFirstCollectionNotAtActivation() throws IOException {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        oshi.hardware.CentralProcessor processor = proxy(oshi.hardware.CentralProcessor.class, "getLogicalProcessorCount",
            () -> 4);
        oshi.hardware.HardwareAbstractionLayer hardware = proxy(oshi.hardware.HardwareAbstractionLayer.class,
            "getProcessor", () -> {
                asked.incrementAndGet();
                return processor;
            });
        io.opsd.host.HostInfo host = proxy(io.opsd.host.HostInfo.class, "hardware", () -> hardware);
        LoadCollector load = new LoadCollector(host, props(Map.of()));
        assertEquals(0, asked.get(), "activation leaves oshi alone (its first look at the CPU takes a while)");
        load.collect();
        load.collect();
        assertEquals(1, asked.get(), "asked once, at the first collection");
    }

    /** An implementation of {@code type} whose method {@code name} answers {@code answer}; /proc for proc(). */
    private static <T> T proxy(Class<T> type, String name, java.util.function.Supplier<Object> answer) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
            (self, method, args) -> switch (method.getName()) {
                case "proc" -> Path.of("/proc");
                case "toString" -> type.getSimpleName();
                default -> {
                    if (method.getName().equals(name)) {
                        yield answer.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                }
            }));
    }

    @Test
    void aBadScheduleFailsTheActivationNamingFileAndKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> new LoadCollector(proc, 2, props(Map.of("interval", "soon"))));
        assertTrue(e.getMessage().startsWith("io.opsd.collector.load (/etc/opsd/io.opsd.collector.load.cfg):"
            + " interval = \"soon\""), e.getMessage());
    }
}
