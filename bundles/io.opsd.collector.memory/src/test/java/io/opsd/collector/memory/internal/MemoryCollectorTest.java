package io.opsd.collector.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.host.CgroupLimits;

class MemoryCollectorTest {

    private static final long KIB = 1024;
    private static final String MEMINFO = """
        MemTotal:       16000000 kB
        MemFree:         2000000 kB
        MemAvailable:    6000000 kB
        Buffers:          300000 kB
        Cached:          3000000 kB
        SwapCached:            0 kB
        Active:          5000000 kB
        SReclaimable:     200000 kB
        SUnreclaim:       100000 kB
        SwapTotal:       4000000 kB
        SwapFree:        3000000 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB
        """;

    @TempDir
    Path proc;

    static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.collector.memory");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.collector.memory.cfg");
        return props;
    }

    MemoryCollector collector(Supplier<CgroupLimits> cgroup) {
        return new MemoryCollector(proc, () -> 4096, cgroup, props(Map.of()));
    }

    MetricSet collect(String meminfo, CgroupLimits cgroup) throws IOException {
        Files.writeString(proc.resolve("meminfo"), meminfo);
        return collector(() -> cgroup).collect();
    }

    static double gauge(MetricSet set, String name) {
        return set.samples().stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no sample " + name)).value();
    }

    @Test
    void theManagerGetsTheOldDaemonsUsedAndMetricsGetsTotalLessAvailable() throws IOException {
        MetricSet set = collect(MEMINFO, CgroupLimits.NONE);
        Map<String, Double> v = set.values();
        assertEquals("memory", set.collector());
        assertEquals(16_000_000 * KIB, v.get("total_bytes"));
        assertEquals(6_000_000 * KIB, v.get("available_bytes"));
        assertEquals(2_000_000 * KIB, v.get("free_bytes"));
        // gopsutil v3: total - free - buffers - (Cached + SReclaimable) = 16000000 - 2000000 - 300000 - 3200000
        assertEquals(10_500_000 * KIB, v.get("used_bytes"));
        assertEquals(100.0 * 10_500_000 / 16_000_000, v.get("usage_percent"), 1e-9);
        // opsd: total - MemAvailable = 16000000 - 6000000
        assertEquals(10_000_000 * KIB, v.get("used_available_bytes"));
        assertEquals(62.5, v.get("usage_available_percent"), 1e-9);
        assertEquals(3_200_000 * KIB, v.get("cached"), "Cached + SReclaimable");
        assertEquals(300_000 * KIB, v.get("buffers"));
        assertEquals(4_000_000 * KIB, v.get("swap_total"));
        assertEquals(1_000_000 * KIB, v.get("swap_used"));
        assertEquals(3_000_000 * KIB, v.get("swap_free"));
        assertEquals(25.0, v.get("swap_percent"), 1e-9);
        for (String alias : new String[] {"total", "available", "used", "free"}) {
            assertEquals(v.get(alias + "_bytes"), v.get(alias), alias);
        }
        // /metrics keeps its names and opsd's meaning
        assertEquals(10_000_000 * KIB, gauge(set, "used_bytes"));
        assertEquals(0.625, gauge(set, "usage_ratio"), 1e-9);
        assertEquals(3_200_000 * KIB, gauge(set, "cached_bytes"));
        assertEquals(300_000 * KIB, gauge(set, "buffers_bytes"));
        assertEquals(1_000_000 * KIB, gauge(set, "swap_used_bytes"));
        assertTrue(set.samples().stream().allMatch(s -> s.type() == MetricSet.Sample.Type.GAUGE));
        assertFalse(v.containsKey("cgroup_limit_bytes"));
        assertFalse(v.containsKey("cgroup_usage_bytes"));
    }

    @Test
    void withoutMemAvailableAndFileLruLinesAvailableIsCachedPlusFreeAsInGopsutil() throws IOException {
        MetricSet set = collect(MEMINFO.replace("MemAvailable:    6000000 kB\n", ""), CgroupLimits.NONE);
        // gopsutil v3 without Active(file)/Inactive(file): (3000000 cached + 200000 reclaimable slab) + 2000000 free;
        // buffers are not counted (opsd counted them before issue 17)
        assertEquals(5_200_000 * KIB, set.values().get("available_bytes"));
        assertEquals(10_800_000 * KIB, set.values().get("used_available_bytes"));
        assertEquals(10_500_000 * KIB, set.values().get("used_bytes"), "does not depend on available");
    }

    @Test
    void withoutSwapSwapIsZeroNotNaN() throws IOException {
        MetricSet set = collect(MEMINFO.replace("SwapTotal:       4000000 kB", "SwapTotal:             0 kB")
            .replace("SwapFree:        3000000 kB", "SwapFree:              0 kB"), CgroupLimits.NONE);
        assertEquals(0.0, set.values().get("swap_total"));
        assertEquals(0.0, set.values().get("swap_used"));
        assertEquals(0.0, set.values().get("swap_percent"));
        assertEquals(0.0, gauge(set, "swap_used_bytes"));
    }

    @Test
    void reportsTheCgroupLimitAndUsageWhenThereAreSome() throws IOException {
        CgroupLimits cgroup = new CgroupLimits(2, OptionalDouble.empty(), OptionalLong.of(512L << 20),
            OptionalLong.of(100L << 20));
        MetricSet set = collect(MEMINFO, cgroup);
        assertEquals(512L << 20, set.values().get("cgroup_limit_bytes"));
        assertEquals(100L << 20, set.values().get("cgroup_usage_bytes"));
        assertEquals(512L << 20, gauge(set, "cgroup_limit_bytes"));
        assertEquals(100L << 20, gauge(set, "cgroup_usage_bytes"));
    }

    @Test
    void aMeminfoWithoutMemTotalFailsTheCollection() throws IOException {
        Files.writeString(proc.resolve("meminfo"), "MemFree: 1 kB\n");
        IOException e = assertThrows(IOException.class, () -> collector(() -> CgroupLimits.NONE).collect());
        assertTrue(e.getMessage().contains("MemTotal"), e.getMessage());
    }

    @Test
    void readsTheRealProcMeminfoTwice() throws IOException {
        MemoryCollector real = new MemoryCollector(Path.of("/proc"), () -> 4096, () -> CgroupLimits.NONE,
            props(Map.of()));
        Map<String, Double> first = real.collect().values();
        Map<String, Double> second = real.collect().values();
        assertTrue(first.get("total_bytes") > 0);
        assertEquals(first.get("total_bytes"), second.get("total_bytes"));
        for (Map<String, Double> v : List.of(first, second)) {
            assertTrue(v.get("available_bytes") <= v.get("total_bytes"), v.toString());
            assertTrue(v.get("free_bytes") <= v.get("total_bytes"), v.toString());
            assertTrue(v.get("usage_percent") >= 0 && v.get("usage_percent") <= 100, v.toString());
            assertTrue(v.get("swap_percent") >= 0 && v.get("swap_percent") <= 100, v.toString());
        }
    }

    @Test
    void aBadScheduleFailsTheActivationNamingFileAndKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> new MemoryCollector(proc, () -> 4096, () -> CgroupLimits.NONE, props(Map.of("enabled", "yes"))));
        assertTrue(e.getMessage().startsWith("io.opsd.collector.memory (/etc/opsd/io.opsd.collector.memory.cfg):"
            + " enabled = \"yes\" is not true or false"), e.getMessage());
    }
}
