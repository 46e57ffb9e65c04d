package io.opsd.metrics.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The Prometheus view of the collectors: each collector's samples as {@code opsd_<collector>_<name>}, and the
 * engine's own figures per collector under {@code opsd_collector_*}.
 */
final class PrometheusExposition {

    private PrometheusExposition() {
    }

    static MetricSnapshots snapshots(Map<String, CollectorStatus> collectors, Instant now) {
        List<MetricSnapshot> out = new ArrayList<>();
        Map<String, Family> families = new LinkedHashMap<>();
        for (CollectorStatus status : collectors.values()) {
            status.latest().ifPresent(set -> {
                for (MetricSet.Sample s : set.samples()) {
                    String name = "opsd_" + set.collector() + "_" + s.name();
                    families.computeIfAbsent(name, n -> new Family(n, s.help(), s.type())).add(s);
                }
            });
        }
        families.values().forEach(f -> out.add(f.snapshot()));
        engineFigures(collectors, now, out);
        return new MetricSnapshots(out);
    }

    private static void engineFigures(Map<String, CollectorStatus> collectors, Instant now, List<MetricSnapshot> out) {
        GaugeSnapshot.Builder enabled = GaugeSnapshot.builder().name("opsd_collector_enabled")
            .help("1 when the collector is scheduled, 0 when its configuration disables it");
        GaugeSnapshot.Builder stale = GaugeSnapshot.builder().name("opsd_collector_stale")
            .help("1 when the last collection failed or timed out, or the latest sample is too old");
        GaugeSnapshot.Builder age = GaugeSnapshot.builder().name("opsd_collector_age_seconds")
            .help("Age of the latest successful sample");
        GaugeSnapshot.Builder duration = GaugeSnapshot.builder().name("opsd_collector_duration_seconds")
            .help("Wall time of the last finished collection");
        GaugeSnapshot.Builder interval = GaugeSnapshot.builder().name("opsd_collector_interval_seconds")
            .help("Configured time between two collections");
        CounterSnapshot.Builder collections = CounterSnapshot.builder().name("opsd_collector_collections")
            .help("Collections started since the collector was scheduled");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("opsd_collector_errors")
            .help("Collections that failed with an error");
        CounterSnapshot.Builder timeouts = CounterSnapshot.builder().name("opsd_collector_timeouts")
            .help("Collections that ran past their timeout");
        CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("opsd_collector_cpu_seconds")
            .help("CPU time the collections used since the collector was scheduled");
        CounterSnapshot.Builder skipped = CounterSnapshot.builder().name("opsd_collector_skipped")
            .help("Ticks skipped because the previous collection was still running");
        for (CollectorStatus c : collectors.values()) {
            Labels labels = Labels.of("collector", c.name());
            enabled.dataPoint(gauge(labels, c.schedule().enabled() ? 1 : 0));
            stale.dataPoint(gauge(labels, c.stale() ? 1 : 0));
            c.age(now).ifPresent(a -> age.dataPoint(gauge(labels, a.toNanos() / 1e9)));
            duration.dataPoint(gauge(labels, c.lastDuration().toNanos() / 1e9));
            interval.dataPoint(gauge(labels, c.schedule().interval().toNanos() / 1e9));
            collections.dataPoint(counter(labels, c.collections()));
            errors.dataPoint(counter(labels, c.errors()));
            timeouts.dataPoint(counter(labels, c.timeouts()));
            skipped.dataPoint(counter(labels, c.skipped()));
            cpu.dataPoint(counter(labels, c.cpuTime().toNanos() / 1e9));
        }
        if (!collectors.isEmpty()) {
            out.add(enabled.build());
            out.add(stale.build());
            out.add(age.build());
            out.add(duration.build());
            out.add(interval.build());
            out.add(collections.build());
            out.add(errors.build());
            out.add(timeouts.build());
            out.add(skipped.build());
            out.add(cpu.build());
        }
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, double value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** The samples of one metric name. */
    private static final class Family {
        private final String name;
        private final String help;
        private final MetricSet.Sample.Type type;
        private final List<MetricSet.Sample> samples = new ArrayList<>();

        Family(String name, String help, MetricSet.Sample.Type type) {
            this.name = name;
            this.help = help;
            this.type = type;
        }

        void add(MetricSet.Sample s) {
            samples.add(s);
        }

        MetricSnapshot snapshot() {
            if (type == MetricSet.Sample.Type.COUNTER) {
                // the writer appends _total to counter names itself
                CounterSnapshot.Builder b = CounterSnapshot.builder()
                    .name(name.endsWith("_total") ? name.substring(0, name.length() - 6) : name).help(help);
                samples.forEach(s -> b.dataPoint(counter(labels(s), s.value())));
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            samples.forEach(s -> b.dataPoint(gauge(labels(s), s.value())));
            return b.build();
        }

        private static Labels labels(MetricSet.Sample s) {
            if (s.labels().isEmpty()) {
                return Labels.EMPTY;
            }
            List<String> names = new ArrayList<>(s.labels().keySet());
            List<String> values = new ArrayList<>(s.labels().values());
            return Labels.of(names, values);
        }
    }
}
