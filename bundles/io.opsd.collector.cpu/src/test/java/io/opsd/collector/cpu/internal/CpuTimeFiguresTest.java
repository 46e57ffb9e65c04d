package io.opsd.collector.cpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsd.api.collector.MetricSet;

/** The Manager's CPU keys against gopsutil v3's cpu.Times and cpu.Percent, on fixed /proc/stat lines. */
class CpuTimeFiguresTest {

    //                                  user    nice  system     idle iowait   irq softirq steal guest guest_nice
    private static final String T1 = "cpu  1000000 20000 300000 8000000 50000 10000 15000 5000 40000 1000\n"
        + "cpu0 250000 5000 75000 2000000 12500 2500 3750 1250 10000 250\nintr 123456 0 9 0\n";
    private static final String T2 = "cpu  1003000 20500 301000 8010000 50400 10100 15200 5100 41000 1100\n";

    private final CpuTimeFigures figures = new CpuTimeFigures();

    private Map<String, Double> collect(String stat) throws IOException {
        MetricSet.Builder set = MetricSet.builder("cpu", Instant.EPOCH);
        figures.addTo(set, CpuTimes.parse(stat));
        return set.build().values();
    }

    @Test
    void userSystemIdleAndIowaitAreGopsutilsSingleModesInSecondsSinceBoot() throws IOException {
        Map<String, Double> v = collect(T1);
        // cpu.Times: each field / ClocksPerSec (100); user is user alone, system is system alone
        assertEquals(10_000.0, v.get("user"), "1000000 / 100");
        assertEquals(3_000.0, v.get("system"), "300000 / 100");
        assertEquals(80_000.0, v.get("idle"), "8000000 / 100");
        assertEquals(500.0, v.get("iowait"), "50000 / 100");
        // opsd's grouped times, under new keys
        assertEquals(10_200.0, v.get("user_nice"), "(1000000 + 20000) / 100");
        assertEquals(3_250.0, v.get("system_irq"), "(300000 + 10000 + 15000) / 100");
        assertFalse(v.containsKey("usage_percent"), "the first collection has no interval");
    }

    @Test
    void usagePercentIsGopsutilsBusyShareWithGuestLeftOutOfTheTotal() throws IOException {
        collect(T1);
        Map<String, Double> v = collect(T2);
        // differences: user 3000, nice 500, system 1000, idle 10000, iowait 400, irq 100, softirq 200, steal 100
        // (guest 1000 and guest_nice 100 are inside user and nice already, so getAllBusy leaves them out)
        // total = 3000 + 500 + 1000 + 10000 + 400 + 100 + 200 + 100 = 15300
        // busy = total - idle - iowait = 15300 - 10000 - 400 = 4900
        assertEquals(100.0 * 4_900 / 15_300, v.get("usage_percent"), 1e-9);
        assertEquals(10_030.0, v.get("user"));
        assertEquals(3_010.0, v.get("system"));
        assertEquals(80_100.0, v.get("idle"));
        assertEquals(504.0, v.get("iowait"));
        // opsd's per-mode shares of the same interval
        assertEquals(100.0 * 3_000 / 15_300, v.get("user_percent"), 1e-9);
        assertEquals(100.0 * 400 / 15_300, v.get("iowait_percent"), 1e-9);
    }

    @Test
    void noBusyTimeIsZeroPercentAsInGopsutil() throws IOException {
        collect(T1);
        Map<String, Double> v = collect("cpu  1000000 20000 300000 8000500 50000 10000 15000 5000 40000 1000\n");
        assertEquals(0.0, v.get("usage_percent"));
    }

    @Test
    void theSecondsSeriesOnMetricsAreOneModeEach() throws IOException {
        MetricSet.Builder set = MetricSet.builder("cpu", Instant.EPOCH);
        figures.addTo(set, CpuTimes.parse(T1));
        List<String> modes = set.build().samples().stream().filter(s -> s.name().equals("seconds_total"))
            .map(s -> s.labels().get("mode") + "=" + s.value()).toList();
        assertEquals(List.of("user=10000.0", "nice=200.0", "system=3000.0", "idle=80000.0", "iowait=500.0",
            "irq=100.0", "softirq=150.0", "steal=50.0"), modes);
    }

    @Test
    void anOldKernelsShorterLineCountsTheMissingModesAsZero() throws IOException {
        CpuTimes t = CpuTimes.parse("cpu  100 2 30 400 5 6 7\n");
        assertEquals(new CpuTimes(100, 2, 30, 400, 5, 6, 7, 0, 0, 0), t);
    }

    @Test
    void aFileWithoutTheCpuLineFailsTheCollection() {
        assertThrows(IOException.class, () -> CpuTimes.parse("cpu0 1 2 3 4 5 6 7 8 9 10\n"));
        assertThrows(IOException.class, () -> CpuTimes.parse("cpu  1 2 3 x 5 6 7 8 9 10\n"));
        assertThrows(IOException.class, () -> CpuTimes.parse(""));
    }
}
