package io.opsd.collector.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The Manager's memory keys against gopsutil v3's formulas, on the /proc/meminfo of a 4 GB gateway. */
class MemoryFiguresTest {

    private static final long KIB = 1024;
    private static final String MEMINFO = """
        MemTotal:        3884132 kB
        MemFree:          214560 kB
        MemAvailable:    2017344 kB
        Buffers:          118220 kB
        Cached:          1702288 kB
        SwapCached:         1184 kB
        Active:          1933880 kB
        Inactive:        1252612 kB
        Active(anon):    1051020 kB
        Inactive(anon):   380148 kB
        Active(file):     882860 kB
        Inactive(file):   872464 kB
        Unevictable:           0 kB
        Mlocked:               0 kB
        SwapTotal:       2097148 kB
        SwapFree:        1968380 kB
        Dirty:               212 kB
        Shmem:             62820 kB
        Slab:             290344 kB
        SReclaimable:     198412 kB
        SUnreclaim:        91932 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB
        """;
    private static final String ZONEINFO = """
        Node 0, zone      DMA
          pages free     3840
                min      5
                low      8
                high     11
                spanned  4095
                protection: (0, 2991, 3772, 3772)
        Node 0, zone    DMA32
          pages free     40000
                min      950
                low      1520
                high     2090
        Node 0, zone   Normal
          pages free     10000
                min      1385
                low      2216
                high     3047
        """;
    private static final Supplier<OptionalLong> NO_ZONEINFO_NEEDED = () -> fail("zoneinfo read with MemAvailable");

    private static MemoryFigures figures(String meminfo, Supplier<OptionalLong> lowWatermarkBytes) throws IOException {
        return MemoryFigures.of(MemInfo.parse(meminfo), lowWatermarkBytes);
    }

    @Test
    void contractFiguresFollowGopsutilV3VirtualMemoryAndSwapMemory() throws IOException {
        MemoryFigures m = figures(MEMINFO, NO_ZONEINFO_NEEDED);
        assertEquals(3_884_132 * KIB, m.totalBytes());
        assertEquals(214_560 * KIB, m.freeBytes());
        assertEquals(118_220 * KIB, m.buffersBytes());
        // Cached += SReclaimable: 1702288 + 198412
        assertEquals(1_900_700 * KIB, m.cachedBytes());
        // Used = Total - Free - Buffers - Cached = 3884132 - 214560 - 118220 - 1900700
        assertEquals(1_650_652 * KIB, m.usedBytes());
        // UsedPercent = Used / Total * 100
        assertEquals(1_650_652 * 100.0 / 3_884_132, m.usagePercent(), 1e-9);
        // Available = MemAvailable when the kernel has it
        assertEquals(2_017_344 * KIB, m.availableBytes());
        // swap (sysinfo's totalswap and freeswap are SwapTotal and SwapFree): Used = 2097148 - 1968380
        assertEquals(128_768 * KIB, m.swapUsedBytes());
        assertEquals(128_768 * 100.0 / 2_097_148, m.swapPercent(), 1e-9);
    }

    @Test
    void opsdsOwnUsedIsTotalLessAvailable() throws IOException {
        MemoryFigures m = figures(MEMINFO, NO_ZONEINFO_NEEDED);
        // 3884132 - 2017344
        assertEquals(1_866_788 * KIB, m.usedAvailableBytes());
        assertEquals(1_866_788.0 / 3_884_132, m.usageAvailableRatio(), 1e-12);
    }

    @Test
    void withoutMemAvailableAvailableIsGopsutilsEstimateFromTheLowWatermarks() throws IOException {
        String old = MEMINFO.replace("MemAvailable:    2017344 kB\n", "");
        long lowBytes = ZoneInfo.lowWatermarkPages(ZONEINFO) * 4096;
        // low = (8 + 1520 + 2216) pages * 4 KiB = 14976 KiB
        assertEquals(14_976 * KIB, lowBytes);
        MemoryFigures m = figures(old, () -> OptionalLong.of(lowBytes));
        // free - low + (file - min(file / 2, low)) + (SReclaimable - min(SReclaimable / 2, low))
        //   = 214560 - 14976 + (882860 + 872464 - 14976) + (198412 - 14976)
        assertEquals(2_123_368 * KIB, m.availableBytes());
        assertEquals(1_650_652 * KIB, m.usedBytes(), "used does not depend on available");
    }

    @Test
    void withoutMemAvailableOrZoneinfoAvailableIsCachedPlusFree() throws IOException {
        String old = MEMINFO.replace("MemAvailable:    2017344 kB\n", "");
        // 1900700 cached (with SReclaimable) + 214560 free; buffers are not counted
        assertEquals(2_115_260 * KIB, figures(old, OptionalLong::empty).availableBytes());
        String older = old.replace("Active(file):     882860 kB\n", "");
        assertEquals(2_115_260 * KIB, figures(older, NO_ZONEINFO_NEEDED).availableBytes());
    }

    @Test
    void usedStopsAtZeroWhereGopsutilWrappedAround() throws IOException {
        // a container view whose cache exceeds what total - free leaves
        MemoryFigures m = figures("""
            MemTotal:        1000000 kB
            MemFree:          600000 kB
            MemAvailable:     900000 kB
            Buffers:          100000 kB
            Cached:           400000 kB
            """, NO_ZONEINFO_NEEDED);
        assertEquals(0, m.usedBytes());
        assertEquals(0.0, m.usagePercent());
    }
}
