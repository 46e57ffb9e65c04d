package io.opsd.collector.load.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;
import io.opsd.host.HostInfo;

/**
 * Load: the 1, 5 and 15-minute load average and the task counts from {@code /proc/loadavg}, and the uptime from
 * {@code /proc/uptime}; two small files, so a collection costs microseconds whatever runs on the host.
 *
 * <p>{@code threads} is the kernel's task count from loadavg (Linux schedules threads); {@code processes} is
 * counted from the process directories of {@code /proc}, see {@link ProcessCount}.
 */
@Component(configurationPid = "io.opsd.collector.load", service = Collector.class)
@CollectorService(name = "load")
@Designate(ocd = LoadCollectorConfig.class)
public final class LoadCollector implements Collector {

    private final Path procRoot;
    private final Path loadavg;
    private final Path uptime;
    /** Asked at the first collection, on a collector thread: oshi's first look at the CPU takes about 150 ms. */
    private final IntSupplier cpuCount;
    private volatile int logicalCpus = -1;

    @Activate
    public LoadCollector(@Reference(name = "host") HostInfo host, Map<String, Object> props) {
        this(host.proc(), () -> host.hardware().getProcessor().getLogicalProcessorCount(), props);
    }

    LoadCollector(Path procRoot, int logicalCpus, Map<String, Object> props) {
        this(procRoot, () -> logicalCpus, props);
    }

    private LoadCollector(Path procRoot, IntSupplier cpuCount, Map<String, Object> props) {
        CollectorSchedule.of(props); // the engine's to read; checked here so that a bad value fails the activation
        this.procRoot = procRoot;
        this.loadavg = procRoot.resolve("loadavg");
        this.uptime = procRoot.resolve("uptime");
        this.cpuCount = cpuCount;
    }

    /** An edit keeps this instance, and the CPU count it asked oshi for once. */
    @Modified
    void modified() {
    }

    @Override
    public MetricSet collect() throws IOException {
        LoadAverage load = LoadAverage.read(loadavg);
        double uptimeSeconds = readUptimeSeconds(uptime);
        Instant now = Instant.now();
        MetricSet.Builder set = MetricSet.builder("load", now);
        set.value("load1", load.load1())
            .gauge("load1", "Runnable and uninterruptible tasks, averaged over 1 minute", load.load1());
        set.value("load5", load.load5())
            .gauge("load5", "Runnable and uninterruptible tasks, averaged over 5 minutes", load.load5());
        set.value("load15", load.load15())
            .gauge("load15", "Runnable and uninterruptible tasks, averaged over 15 minutes", load.load15());
        int logicalCpus = this.logicalCpus;
        if (logicalCpus < 0) {
            logicalCpus = cpuCount.getAsInt();
            this.logicalCpus = logicalCpus;
        }
        if (logicalCpus > 0) {
            set.value("load1_per_core", load.load1() / logicalCpus);
        }
        long processes = ProcessCount.of(procRoot);
        set.value("processes", processes)
            .gauge("processes", "Processes running now, kernel threads' processes included", processes);
        set.value("threads", load.tasks())
            .gauge("threads", "Threads of all processes, kernel threads included", load.tasks());
        set.value("procs_running", load.runnable())
            .gauge("procs_running", "Tasks runnable at the moment of the collection, opsd's own included",
                load.runnable());
        set.value("uptime_seconds", uptimeSeconds)
            .gauge("uptime_seconds", "Time since the host booted, suspended time included", uptimeSeconds);
        double bootTimeSeconds = now.toEpochMilli() / 1000.0 - uptimeSeconds;
        set.gauge("boot_time_seconds", "When the host booted, in Unix seconds", bootTimeSeconds);
        return set.build();
    }

    /** The first of the two numbers in {@code /proc/uptime}: seconds since boot (the second is idle CPU time). */
    private static double readUptimeSeconds(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        int space = text.indexOf(' ');
        try {
            return Double.parseDouble(space < 0 ? text : text.substring(0, space));
        } catch (NumberFormatException e) {
            throw new IOException(file + " reads \"" + text + "\", not \"uptime idle\" in seconds", e);
        }
    }
}
