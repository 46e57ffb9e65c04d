package io.opsd.collector.disk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DiskStatsTest {

    private static final String DISKSTATS = """
           8       0 sda 900 0 9000 0 400 0 4000 0 0 0 0 0 0 0 0 0 0
           8       2 sda2 800 0 8000 0 300 0 3000 0 0 0 0 0 0 0 0 0 0
         253       0 dm-0 700 12 7000 55 200 3 2000 66 0 10 20 0 0 0 0 0 0
           8      49 sdd1 10 0 100 0 20 0 200 0 0 0 0
        """;

    @Test
    void findsTheDeviceByItsNumberSoAnLvmVolumeIsItsDmDevice() {
        DiskStats stats = DiskStats.parse(DISKSTATS);
        assertEquals(new DiskStats.Device("dm-0", 7000L * 512, 2000L * 512), stats.device("253:0", "vg-root"));
    }

    @Test
    void fallsBackToTheKernelNameWhenTheNumberIsNotABlockDevice() {
        DiskStats stats = DiskStats.parse(DISKSTATS);
        assertEquals("sdd1", stats.device("0:50", "sdd1").name(), "btrfs: an anonymous device number");
        assertNull(stats.device("0:60", null), "a network file system has no device");
        assertNull(stats.device("0:60", "server:/export"));
    }

    @Test
    void skipsLinesWithoutTheDiskstatsShape() {
        DiskStats stats = DiskStats.parse("\n 8 0 sda x y z\n 8 1 sda1 1 2 3 4 5 6 seven 8 9\n");
        assertNull(stats.device("8:0", "sda"));
        assertNull(stats.device("8:1", "sda1"));
    }
}
