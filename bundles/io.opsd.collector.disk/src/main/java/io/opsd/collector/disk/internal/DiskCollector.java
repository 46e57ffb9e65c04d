package io.opsd.collector.disk.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.collector.disk.internal.MountInfo.Mount;
import io.opsd.collector.disk.internal.SpaceReader.Space;
import io.opsd.host.HostInfo;

/**
 * Disk: the space of every reported file system (mounts from {@code mountinfo}, each device once) and the bytes
 * read and written by the devices behind them (from {@code diskstats}), with rates from the difference between
 * two collections.
 */
@Component(configurationPid = "io.opsd.collector.disk", service = Collector.class)
@CollectorService(name = "disk")
@Designate(ocd = DiskCollectorConfig.class)
public final class DiskCollector implements Collector {

    private static final Logger LOG = LoggerFactory.getLogger(DiskCollector.class);

    private final Path mountInfoFile;
    private final Path diskStatsFile;
    private final SpaceReader spaceReader;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private final IoRates ioRates = new IoRates();
    private final Set<String> unreadableMountPoints = new HashSet<>();
    private volatile DiskSettings settings;
    // the mounts are selected again only when the mount table or the selection settings change
    private String mountTable = "";
    private MountSelection selection;
    private List<ReportedMount> reported = List.of();

    @Activate
    public DiskCollector(@Reference(name = "host") HostInfo host, DiskCollectorConfig config,
                         Map<String, Object> props) {
        this(host.proc(), new FileStoreSpaceReader(), System::nanoTime, DiskSettings.of(config, props));
        CollectorSchedule.of(props); // the engine's to read; checked here so that a bad value fails the activation
    }

    DiskCollector(Path proc, SpaceReader spaceReader, LongSupplier nanoClock, DiskSettings settings) {
        this(proc, spaceReader, nanoClock, Instant::now, settings);
    }

    /**
     * @param nanoClock monotonic nanoseconds, the only time rates are computed from
     * @param wallClock the time stamped on each sample, which may jump when the system clock is set
     */
    DiskCollector(Path proc, SpaceReader spaceReader, LongSupplier nanoClock, Supplier<Instant> wallClock,
                  DiskSettings settings) {
        this.wallClock = wallClock;
        this.mountInfoFile = proc.resolve("self/mountinfo");
        this.diskStatsFile = proc.resolve("diskstats");
        this.spaceReader = spaceReader;
        this.nanoClock = nanoClock;
        this.settings = settings;
    }

    @Modified
    void modified(DiskCollectorConfig config, Map<String, Object> props) {
        try {
            settings = DiskSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the collector keeps its previous settings", e.getMessage());
        }
    }

    @Override
    public MetricSet collect() throws IOException {
        List<ReportedMount> mounts = mounts(settings.selection());
        DiskStats stats = DiskStats.parse(read(diskStatsFile));
        long nanos = nanoClock.getAsLong();
        MetricSet.Builder set = MetricSet.builder("disk", wallClock.get());
        long total = 0;
        long used = 0;
        long free = 0;
        long available = 0;
        int partitions = 0;
        Map<String, DiskStats.Device> devices = new LinkedHashMap<>();
        for (ReportedMount reportedMount : mounts) {
            Mount mount = reportedMount.mount();
            Space space = space(mount.mountPoint());
            // a file system without blocks is a pseudo file system missing from exclude_fs_types
            if (space == null || space.totalBytes() <= 0) {
                continue;
            }
            DiskStats.Device device = stats.device(mount.device(), reportedMount.kernelName());
            if (device != null) {
                devices.putIfAbsent(device.name(), device);
            }
            long mountUsed = space.totalBytes() - space.freeBytes();
            double usage = (double) mountUsed / space.totalBytes();
            String prefix = "disk." + mount.mountPoint() + ".";
            set.value(prefix + "used_bytes", mountUsed)
                .value(prefix + "total_bytes", space.totalBytes())
                .value(prefix + "usage_percent", 100 * usage);
            String[] labels = {"mountpoint", mount.mountPoint(), "device", device == null ? mount.source()
                : device.name(), "fstype", mount.fsType()};
            set.gauge("size_bytes", "Size of the file system", space.totalBytes(), labels)
                .gauge("used_bytes", "Bytes in use on the file system: size minus free", mountUsed, labels)
                .gauge("free_bytes", "Bytes not in use, including the blocks reserved for root", space.freeBytes(),
                    labels)
                .gauge("available_bytes", "Bytes an unprivileged user can still write", space.availableBytes(),
                    labels)
                .gauge("usage_ratio", "Share of the file system in use, 0 to 1", usage, labels);
            total += space.totalBytes();
            used += mountUsed;
            free += space.freeBytes();
            available += space.availableBytes();
            partitions++;
        }
        // the old daemon's free_bytes was gopsutil's UsageStat.Free: what an unprivileged user can still write
        set.value("total_bytes", total).value("used_bytes", used).value("free_bytes", available)
            .value("free_including_reserved_bytes", free);
        if (total > 0) {
            set.value("usage_percent", 100.0 * used / total);
        }
        set.value("partition_count", partitions);
        long read = 0;
        long written = 0;
        for (DiskStats.Device device : devices.values()) {
            read += device.readBytes();
            written += device.writtenBytes();
            set.counter("read_bytes_total", "Bytes read from the device since boot", device.readBytes(),
                "device", device.name());
            set.counter("written_bytes_total", "Bytes written to the device since boot", device.writtenBytes(),
                "device", device.name());
        }
        set.value("read_bytes", read).value("write_bytes", written);
        IoRates.Rates rates = ioRates.update(nanos, devices.values());
        if (rates != null) {
            set.value("read_bytes_per_second", rates.readBytesPerSecond())
                .value("write_bytes_per_second", rates.writtenBytesPerSecond());
        }
        return set.build();
    }

    private List<ReportedMount> mounts(MountSelection current) throws IOException {
        String table = read(mountInfoFile);
        if (!table.equals(mountTable) || !current.equals(selection)) {
            List<ReportedMount> next = new ArrayList<>();
            Set<String> mountPoints = new HashSet<>();
            for (Mount mount : current.select(MountInfo.parse(table))) {
                next.add(new ReportedMount(mount, kernelName(mount.source())));
                mountPoints.add(mount.mountPoint());
            }
            spaceReader.retainOnly(mountPoints);
            unreadableMountPoints.retainAll(mountPoints);
            mountTable = table;
            selection = current;
            reported = next;
        }
        return reported;
    }

    private Space space(String mountPoint) {
        try {
            Space space = spaceReader.read(mountPoint);
            unreadableMountPoints.remove(mountPoint);
            return space;
        } catch (IOException | SecurityException e) {
            if (unreadableMountPoints.add(mountPoint)) {
                LOG.warn("cannot read the size of {} ({}); it is left out until it can be read", mountPoint,
                    e.toString());
            }
            return null;
        }
    }

    /**
     * The kernel's name of a mount's source ({@code /dev/mapper/vg-root} links to {@code ../dm-0}), for file
     * systems such as btrfs whose device number in mountinfo is not the block device's.
     */
    private static String kernelName(String source) {
        if (!source.startsWith("/dev/")) {
            return null;
        }
        Path path = Path.of(source);
        try {
            path = path.toRealPath();
        } catch (IOException e) {
            // not visible in this mount namespace (a container's /dev): the name as mountinfo gives it
        }
        Path name = path.getFileName();
        return name == null ? null : name.toString();
    }

    // new String(bytes) replaces bytes that are not UTF-8 (a mount point may have any name) instead of failing
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** A mount to report, with its source's kernel device name (null when it has none). */
    private record ReportedMount(Mount mount, String kernelName) {
    }
}
