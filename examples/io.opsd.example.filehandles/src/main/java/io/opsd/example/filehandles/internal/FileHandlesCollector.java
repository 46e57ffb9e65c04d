package io.opsd.example.filehandles.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;

/**
 * The smallest useful collector: {@code /proc/sys/fs/file-nr} holds the allocated file handles, the allocated
 * but unused ones, and the maximum. Everything a collector needs is here: the component property type, the
 * schedule from its configuration, and a {@code collect()} that reads and returns.
 */
@Component(configurationPid = "io.opsd.example.filehandles", service = Collector.class)
@CollectorService(name = "filehandles")
@Designate(ocd = FileHandlesConfig.class)
public final class FileHandlesCollector implements Collector {

    private static final Path FILE_NR = Path.of("/proc/sys/fs/file-nr");

    private volatile CollectorSchedule schedule;

    @Activate
    public FileHandlesCollector(FileHandlesConfig config, Map<String, Object> props) {
        schedule = CollectorSchedule.of(props, config.enabled(), config.interval(), config.timeout());
    }

    @Modified
    void modified(FileHandlesConfig config, Map<String, Object> props) {
        schedule = CollectorSchedule.of(props, config.enabled(), config.interval(), config.timeout());
    }

    @Override
    public CollectorSchedule schedule() {
        return schedule;
    }

    @Override
    public MetricSet collect() throws IOException {
        // readAllLines, not readString: the JDK misreads some /proc/sys files whose size shows as 0
        String[] f = Files.readAllLines(FILE_NR, StandardCharsets.US_ASCII).get(0).trim().split("\\s+");
        long allocated = Long.parseLong(f[0]);
        long unused = Long.parseLong(f[1]);
        long max = Long.parseLong(f[2]);
        double inUse = allocated - unused;
        return MetricSet.builder("filehandles", Instant.now())
            .value("in_use", inUse).value("max", max).value("usage_percent", max > 0 ? 100 * inUse / max : 0)
            .gauge("in_use", "File handles the kernel has handed out and not released", inUse)
            .gauge("max", "Most file handles the kernel will hand out (fs.file-max)", max)
            .build();
    }
}
