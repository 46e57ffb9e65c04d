package io.opsd.collector.disk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.collector.disk.internal.SpaceReader.Space;
import io.opsd.host.HostInfo;

class DiskCollectorTest {

    private static final long GIB = 1L << 30;
    private static final long SECOND = 1_000_000_000L;

    private static final String MOUNTINFO = """
        22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        25 28 0:24 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1631532k,mode=755
        28 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw,errors=remount-ro
        30 28 8:1 / /boot rw,relatime shared:30 - ext4 /dev/sda1 rw
        31 28 8:16 / /data rw,relatime shared:31 - xfs /dev/sdb rw,attr2
        32 28 8:16 /exports /srv/nfs/exports rw,relatime shared:31 - xfs /dev/sdb rw,attr2
        33 28 253:0 /var/lib/docker /var/lib/docker rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw
        34 28 0:45 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/a:/b
        36 28 0:50 / /home rw,relatime shared:40 - btrfs /dev/sdd1 rw,space_cache
        37 28 0:50 /@log /var/log rw,relatime shared:41 - btrfs /dev/sdd1 rw,space_cache
        """;

    private static final Map<String, Space> SPACE = Map.of(
        "/", new Space(100 * GIB, 40 * GIB, 35 * GIB),
        "/boot", new Space(GIB, GIB / 2, GIB / 2),
        "/data", new Space(400 * GIB, 100 * GIB, 100 * GIB),
        "/home", new Space(50 * GIB, 50 * GIB, 50 * GIB),
        "/run", new Space(GIB, GIB, GIB));

    @TempDir
    Path proc;

    private final AtomicLong nanos = new AtomicLong(5 * SECOND);
    private DiskCollector collector;

    @BeforeEach
    void proc() throws IOException {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/mountinfo"), MOUNTINFO);
        collector = new DiskCollector(proc, DiskCollectorTest::space, nanos::get,
            DiskSettingsTest.settings(Map.of()));
    }

    private static Space space(String mountPoint) throws IOException {
        Space space = SPACE.get(mountPoint);
        if (space == null) {
            throw new IOException("no file system at " + mountPoint + " in this test");
        }
        return space;
    }

    /** Sectors read and written: / is on dm-0 (LVM on sda2), /boot on sda1, /data on sdb, /home on sdd1. */
    private void diskstats(long dm0Read, long dm0Written, long sdbRead, long sdbWritten) throws IOException {
        Files.writeString(proc.resolve("diskstats"), String.join("\n",
            line(8, 0, "sda", 999_000, 999_000),
            line(8, 1, "sda1", 100, 10),
            line(8, 2, "sda2", 888_000, 888_000),
            line(8, 16, "sdb", sdbRead, sdbWritten),
            line(8, 48, "sdd", 777_000, 777_000),
            line(8, 49, "sdd1", 50, 5),
            line(253, 0, "dm-0", dm0Read, dm0Written)) + "\n");
    }

    private static String line(int major, int minor, String name, long sectorsRead, long sectorsWritten) {
        return String.format("%4d %7d %s 11 0 %d 30 22 0 %d 40 0 50 70 0 0 0 0 0 0", major, minor, name,
            sectorsRead, sectorsWritten);
    }

    private static List<String> labelValues(MetricSet set, String sample, String label) {
        return set.samples().stream().filter(s -> s.name().equals(sample)).map(s -> s.labels().get(label)).toList();
    }

    @Test
    void reportsEachFileSystemOnceWithoutPseudoFileSystemsAndMapsLvmToItsDmDevice() throws IOException {
        diskstats(1000, 2000, 300, 400);
        MetricSet set = collector.collect();
        Map<String, Double> v = set.values();

        assertEquals(List.of("/", "/boot", "/data", "/home"), labelValues(set, "size_bytes", "mountpoint"));
        assertEquals(List.of("dm-0", "sda1", "sdb", "sdd1"), labelValues(set, "size_bytes", "device"));
        assertEquals(List.of("ext4", "ext4", "xfs", "btrfs"), labelValues(set, "size_bytes", "fstype"));
        assertEquals(4.0, v.get("partition_count"));
        assertEquals(551.0 * GIB, v.get("total_bytes"));
        assertEquals(360.5 * GIB, v.get("used_bytes"));
        // gopsutil v3's Free is f_bavail (35 + 0.5 + 100 + 50); the root reserve of / is in the new key only
        assertEquals(185.5 * GIB, v.get("free_bytes"));
        assertEquals(190.5 * GIB, v.get("free_including_reserved_bytes"));
        assertEquals(100 * 360.5 / 551, v.get("usage_percent"), 1e-9);
        assertEquals(60.0 * GIB, v.get("disk./.used_bytes"));
        assertEquals(400.0 * GIB, v.get("disk./data.total_bytes"));
        assertEquals(75.0, v.get("disk./data.usage_percent"));
        assertEquals(0.75, set.samples().stream().filter(s -> s.name().equals("usage_ratio")
            && s.labels().get("mountpoint").equals("/data")).findFirst().orElseThrow().value());
        assertFalse(v.containsKey("disk./srv/nfs/exports.used_bytes"), "a bind mount of /data");
        assertFalse(v.containsKey("disk./run.used_bytes"), "tmpfs");

        // dm-0, sda1, sdb, sdd1: not sda2 (the LVM volume's physical disk) and not the whole disks
        assertEquals(512.0 * (1000 + 100 + 300 + 50), v.get("read_bytes"));
        assertEquals(512.0 * (2000 + 10 + 400 + 5), v.get("write_bytes"));
        assertEquals(List.of("dm-0", "sda1", "sdb", "sdd1"), labelValues(set, "read_bytes_total", "device"));
        assertEquals(List.of("dm-0", "sda1", "sdb", "sdd1"), labelValues(set, "written_bytes_total", "device"));
        assertFalse(v.containsKey("read_bytes_per_second"), "no rate on the first collection");
        assertFalse(v.containsKey("write_bytes_per_second"));
    }

    @Test
    void ratesComeFromTheDifferenceOverMonotonicTimeAndACounterGoingBackwardsGivesNoNegativeRate()
        throws IOException {
        diskstats(1000, 2000, 300, 400);
        collector.collect();

        diskstats(1000 + 20_000, 2000 + 40_000, 300, 400);
        nanos.addAndGet(10 * SECOND);
        Map<String, Double> v = collector.collect().values();
        assertEquals(512.0 * 20_000 / 10, v.get("read_bytes_per_second"), 1e-6);
        assertEquals(512.0 * 40_000 / 10, v.get("write_bytes_per_second"), 1e-6);

        // dm-0's counters went backwards: it is left out of this interval, sdb still counts
        diskstats(5, 5, 300 + 1_000, 400 + 3_000);
        nanos.addAndGet(10 * SECOND);
        v = collector.collect().values();
        assertEquals(512.0 * 1_000 / 10, v.get("read_bytes_per_second"), 1e-6);
        assertEquals(512.0 * 3_000 / 10, v.get("write_bytes_per_second"), 1e-6);

        // every device went backwards: no rate at all rather than a negative one
        Files.writeString(proc.resolve("diskstats"), String.join("\n", line(8, 1, "sda1", 1, 1),
            line(8, 16, "sdb", 1, 1), line(8, 49, "sdd1", 1, 1), line(253, 0, "dm-0", 1, 1)));
        nanos.addAndGet(10 * SECOND);
        v = collector.collect().values();
        assertFalse(v.containsKey("read_bytes_per_second"), v.toString());
        assertFalse(v.containsKey("write_bytes_per_second"));

        // and the next interval has rates again
        Files.writeString(proc.resolve("diskstats"), String.join("\n", line(8, 1, "sda1", 1, 1),
            line(8, 16, "sdb", 1, 1), line(8, 49, "sdd1", 1, 1), line(253, 0, "dm-0", 1 + 100, 1)));
        nanos.addAndGet(10 * SECOND);
        v = collector.collect().values();
        assertEquals(512.0 * 100 / 10, v.get("read_bytes_per_second"), 1e-6);
        assertEquals(0.0, v.get("write_bytes_per_second"));
    }

    @Test
    void aRejectedEditKeepsThePreviousSettingsAndAnAcceptedOneAppliesAtTheNextCollection() throws IOException {
        diskstats(1000, 2000, 300, 400);
        Map<String, Object> bad = Map.of("interval", "10s", "mount_points", "data");
        collector.modified(DiskSettingsTest.config(bad), DiskSettingsTest.props(bad));
        assertEquals(4.0, collector.collect().values().get("partition_count"));

        Map<String, Object> good = Map.of("interval", "10s", "mount_points", "/data,/run");
        collector.modified(DiskSettingsTest.config(good), DiskSettingsTest.props(good));
        MetricSet set = collector.collect();
        assertEquals(List.of("/data", "/run"), labelValues(set, "size_bytes", "mountpoint"));
        assertEquals(List.of("sdb", "tmpfs"), labelValues(set, "size_bytes", "device"), "tmpfs has no block device");
        assertEquals(List.of("sdb"), labelValues(set, "read_bytes_total", "device"));
    }

    @Test
    void aBadScheduleFailsTheActivationThoughTheEngineReadsIt() {
        HostInfo host = (HostInfo) Proxy.newProxyInstance(HostInfo.class.getClassLoader(),
            new Class<?>[] {HostInfo.class}, (self, method, args) -> method.getName().equals("proc") ? proc : null);
        Map<String, Object> soon = Map.of("timeout", "soon");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> new DiskCollector(host, DiskSettingsTest.config(soon), DiskSettingsTest.props(soon)));
        assertTrue(e.getMessage().contains("timeout = \"soon\" is not a duration"), e.getMessage());
    }

    @Test
    void aFileSystemWhoseSizeCannotBeReadIsLeftOut() throws IOException {
        diskstats(1000, 2000, 300, 400);
        Files.writeString(proc.resolve("self/mountinfo"), MOUNTINFO
            + "38 28 8:64 / /mnt/gone rw - ext4 /dev/sde rw\n");
        assertEquals(4.0, collector.collect().values().get("partition_count"));
    }

    @Test
    void collectsFromThisMachinesProc() throws IOException {
        DiskCollector real = new DiskCollector(Path.of("/proc"), new FileStoreSpaceReader(), System::nanoTime,
            DiskSettingsTest.settings(Map.of()));
        Map<String, Double> first = real.collect().values();
        for (String key : List.of("total_bytes", "used_bytes", "free_bytes", "read_bytes", "write_bytes",
            "partition_count")) {
            assertNotNull(first.get(key), key + " in " + first);
            assertTrue(first.get(key) >= 0, key + " in " + first);
        }
        assertFalse(first.containsKey("read_bytes_per_second"));
        assumeTrue(first.get("partition_count") > 0, "no disk file system visible here");

        Map<String, Double> second = real.collect().values();
        assertTrue(second.get("total_bytes") > 0);
        assertTrue(second.get("used_bytes") <= second.get("total_bytes"));
        assertEquals(second.get("total_bytes"), second.get("used_bytes")
            + second.get("free_including_reserved_bytes"), 1.0);
        assertTrue(second.get("free_bytes") <= second.get("free_including_reserved_bytes"), second.toString());
        double usage = second.get("usage_percent");
        assertTrue(usage >= 0 && usage <= 100, "usage_percent " + usage);
        assertTrue(second.get("read_bytes") >= first.get("read_bytes"));
        assertTrue(second.keySet().stream().anyMatch(k -> k.startsWith("disk./") && k.endsWith(".used_bytes")),
            second.toString());
        for (String key : List.of("read_bytes_per_second", "write_bytes_per_second")) {
            assertNotNull(second.get(key), key + " in " + second);
            assertTrue(second.get(key) >= 0 && second.get(key) < 1e12, key + " in " + second);
        }
    }

    @Test
    void ratesStayTrueWhenTheWallClockJumpsAnHourForwardAndBack() throws IOException {
        Instant t0 = Instant.parse("2026-10-25T02:59:55Z");
        AtomicReference<Instant> wall = new AtomicReference<>(t0);
        DiskCollector jumping = new DiskCollector(proc, DiskCollectorTest::space, nanos::get, wall::get,
            DiskSettingsTest.settings(Map.of()));
        long dm0Read = 1000;
        long dm0Written = 2000;
        diskstats(dm0Read, dm0Written, 300, 400);
        jumping.collect();

        for (Duration jump : List.of(Duration.ofHours(1), Duration.ofHours(-1), Duration.ofHours(-1))) {
            // 10 s pass on the monotonic clock while the system clock is set an hour forward or back
            nanos.addAndGet(10 * SECOND);
            wall.set(wall.get().plus(jump).plusSeconds(10));
            dm0Read += 20_000;
            dm0Written += 40_000;
            diskstats(dm0Read, dm0Written, 300, 400);
            MetricSet set = jumping.collect();
            Map<String, Double> v = set.values();
            assertEquals(wall.get(), set.time(), "the sample carries the wall time");
            assertEquals(512.0 * 20_000 / 10, v.get("read_bytes_per_second"), 1e-6, "jump " + jump);
            assertEquals(512.0 * 40_000 / 10, v.get("write_bytes_per_second"), 1e-6, "jump " + jump);
            for (String key : List.of("read_bytes_per_second", "write_bytes_per_second")) {
                assertTrue(Double.isFinite(v.get(key)) && v.get(key) >= 0, key + " = " + v.get(key));
            }
        }
    }
}
