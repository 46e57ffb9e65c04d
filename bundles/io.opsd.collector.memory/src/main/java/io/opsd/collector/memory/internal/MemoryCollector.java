package io.opsd.collector.memory.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;
import io.opsd.host.CgroupLimits;
import io.opsd.host.HostInfo;

/**
 * Memory: RAM, buffers, cache and swap from {@code /proc/meminfo} (one small file, read directly), and the memory
 * limit and usage of opsd's cgroup. The Manager's contract keys keep the old daemon's meanings (gopsutil v3);
 * opsd's own "used" (total − available) is on /metrics and under the new keys {@code used_available_bytes} and
 * {@code usage_available_percent}: see {@link MemoryFigures}.
 */
@Component(configurationPid = "io.opsd.collector.memory", service = Collector.class)
@CollectorService(name = "memory")
@Designate(ocd = MemoryCollectorConfig.class)
public final class MemoryCollector implements Collector {

    private final Path meminfo;
    private final Path zoneinfo;
    private final LongSupplier pageSize;
    private final Supplier<CgroupLimits> cgroupLimits;

    @Activate
    public MemoryCollector(@Reference(name = "host") HostInfo host, Map<String, Object> props) {
        this(host.proc(), () -> host.hardware().getMemory().getPageSize(), host::cgroupLimits, props);
    }

    /** @param pageSize bytes per page, asked only on kernels without MemAvailable */
    MemoryCollector(Path procRoot, LongSupplier pageSize, Supplier<CgroupLimits> cgroupLimits,
                    Map<String, Object> props) {
        CollectorSchedule.of(props); // the engine's to read; checked here so that a bad value fails the activation
        this.meminfo = procRoot.resolve("meminfo");
        this.zoneinfo = procRoot.resolve("zoneinfo");
        this.pageSize = pageSize;
        this.cgroupLimits = cgroupLimits;
    }

    /** An edit keeps this instance: only the engine, which owns the schedule, has anything to apply. */
    @Modified
    void modified() {
    }

    @Override
    public MetricSet collect() throws IOException {
        MemoryFigures memory = MemoryFigures.of(MemInfo.parse(read(meminfo)), this::lowWatermarkBytes);
        MetricSet.Builder set = MetricSet.builder("memory", Instant.now());
        // total, available, used and free are the old daemon's names, kept beside the *_bytes keys for the Manager
        set.value("total_bytes", memory.totalBytes()).value("total", memory.totalBytes())
            .gauge("total_bytes", "RAM the kernel can use", memory.totalBytes());
        set.value("available_bytes", memory.availableBytes()).value("available", memory.availableBytes())
            .gauge("available_bytes", "RAM new work could get without swapping", memory.availableBytes());
        set.value("free_bytes", memory.freeBytes()).value("free", memory.freeBytes())
            .gauge("free_bytes", "RAM used for nothing, not even cache", memory.freeBytes());
        set.value("used_bytes", memory.usedBytes()).value("used", memory.usedBytes())
            .value("usage_percent", memory.usagePercent());
        set.value("used_available_bytes", memory.usedAvailableBytes())
            .gauge("used_bytes", "RAM in use: total less available", memory.usedAvailableBytes());
        set.value("usage_available_percent", 100 * memory.usageAvailableRatio())
            .gauge("usage_ratio", "Share of RAM in use: (total - available) / total", memory.usageAvailableRatio());
        set.value("cached", memory.cachedBytes())
            .gauge("cached_bytes", "Page cache and reclaimable kernel slab", memory.cachedBytes());
        set.value("buffers", memory.buffersBytes())
            .gauge("buffers_bytes", "Block device buffers", memory.buffersBytes());
        set.value("swap_total", memory.swapTotalBytes())
            .gauge("swap_total_bytes", "Swap space, 0 without swap", memory.swapTotalBytes());
        set.value("swap_used", memory.swapUsedBytes())
            .gauge("swap_used_bytes", "Swap space in use", memory.swapUsedBytes());
        set.value("swap_free", memory.swapFreeBytes())
            .gauge("swap_free_bytes", "Swap space unused", memory.swapFreeBytes());
        set.value("swap_percent", memory.swapPercent());
        CgroupLimits cgroup = cgroupLimits.get();
        cgroup.memoryLimitBytes().ifPresent(limit -> set.value("cgroup_limit_bytes", limit)
            .gauge("cgroup_limit_bytes", "Memory limit of opsd's cgroup", limit));
        cgroup.memoryUsageBytes().ifPresent(usage -> set.value("cgroup_usage_bytes", usage)
            .gauge("cgroup_usage_bytes", "Memory opsd's cgroup uses, page cache included", usage));
        return set.build();
    }

    private OptionalLong lowWatermarkBytes() {
        try {
            return OptionalLong.of(ZoneInfo.lowWatermarkPages(read(zoneinfo)) * pageSize.getAsLong());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }
}
