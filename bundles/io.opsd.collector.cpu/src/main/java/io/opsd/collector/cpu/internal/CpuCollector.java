package io.opsd.collector.cpu.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

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
import oshi.hardware.CentralProcessor;

/**
 * CPU: the busy share over the interval from the difference of the kernel's tick counters in {@code /proc/stat}
 * between two collections (never a blocking sample), the cumulative time by mode, cores, frequency, and the cgroup
 * quota. The Manager's contract keys keep the old daemon's meanings: see {@link CpuTimeFigures}.
 */
@Component(configurationPid = "io.opsd.collector.cpu", service = Collector.class)
@CollectorService(name = "cpu")
@Designate(ocd = CpuCollectorConfig.class)
public final class CpuCollector implements Collector {

    private final HostInfo host;
    private final Path procStat;
    private final CpuTimeFigures times = new CpuTimeFigures();
    /**
     * Looked up at the first collection, on a collector thread: oshi reads the CPU's description then, which takes
     * about 150 ms that the framework's start would otherwise wait for.
     */
    private volatile Processor processor;

    private record Processor(CentralProcessor oshi, long frequencyHertz) {
    }

    @Activate
    public CpuCollector(@Reference(name = "host") HostInfo host, Map<String, Object> props) {
        CollectorSchedule.of(props); // the engine's to read; checked here so that a bad value fails the activation
        this.host = host;
        this.procStat = host.proc().resolve("stat");
    }

    /** An edit keeps this instance and the tick counts the next busy share is measured from. */
    @Modified
    void modified() {
    }

    @Override
    public MetricSet collect() throws IOException {
        CpuTimes now = CpuTimes.parse(firstLine(procStat));
        Processor cpu = processor();
        CentralProcessor processor = cpu.oshi();
        long frequencyHertz = cpu.frequencyHertz();
        MetricSet.Builder set = MetricSet.builder("cpu", Instant.now());
        times.addTo(set, now);
        int cores = processor.getLogicalProcessorCount();
        set.value("cores", cores).gauge("cores", "Logical CPUs", cores);
        set.value("physical_cores", processor.getPhysicalProcessorCount());
        if (frequencyHertz > 0) {
            set.value("mhz", frequencyHertz / 1e6).gauge("frequency_hertz", "CPU frequency (the highest the CPU"
                + " reports, else its current one at the first collection)", frequencyHertz);
        }
        CgroupLimits cgroup = host.cgroupLimits();
        cgroup.cpuQuotaCores().ifPresent(q -> set.value("cgroup_quota_cores", q)
            .gauge("cgroup_quota_cores", "CPU quota of opsd's cgroup, in cores", q));
        return set.build();
    }

    /**
     * The highest frequency the CPU reports; virtual machines often report none (no cpufreq), and then the current
     * frequency of the first CPU, as /proc/cpuinfo gives it, read once because it costs a file read per CPU.
     */
    private Processor processor() {
        Processor p = processor;
        if (p == null) { // two threads may both look it up: oshi hands both the same one
            CentralProcessor oshi = host.hardware().getProcessor();
            p = new Processor(oshi, frequency(oshi));
            processor = p;
        }
        return p;
    }

    private static long frequency(CentralProcessor processor) {
        long max = processor.getMaxFreq();
        if (max > 0) {
            return max;
        }
        long[] current = processor.getCurrentFreq();
        return current.length > 0 ? current[0] : -1;
    }

    /** The cpu line only: the rest of /proc/stat (per-CPU lines, interrupt counts) can be tens of kilobytes. */
    private static String firstLine(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line = reader.readLine();
            return line == null ? "" : line;
        }
    }
}
