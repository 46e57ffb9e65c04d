package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.ReportMetricsRequest;

class MetricReportsTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);

    private final Map<String, CollectorStatus> collectors = new LinkedHashMap<>();
    private final MetricReports reports = new MetricReports(() -> collectors);

    private void sampled(String collector, Instant time, double value) {
        MetricSet set = MetricSet.builder(collector, time).value("usage", value).build();
        collectors.put(collector, status(collector, Optional.of(set)));
    }

    private static CollectorStatus status(String name, Optional<MetricSet> latest) {
        return new CollectorStatus(name, new CollectorSchedule(true, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            latest, false, Optional.empty(), Duration.ZERO, 1, 0, 0, 0, T0, Duration.ZERO);
    }

    private static List<String> types(Optional<ReportMetricsRequest> report) {
        return report.orElseThrow().getMetricsList().stream().map(MetricData::getType).toList();
    }

    @Test
    void eachSampleIsReportedOnce() {
        sampled("cpu", T0, 12.5);
        sampled("memory", T0, 40);
        Optional<ReportMetricsRequest> first = reports.next("n1");
        assertEquals(List.of("cpu", "memory"), types(first));
        assertEquals("n1", first.orElseThrow().getNodeId());
        assertEquals(Map.of("usage", 12.5), first.orElseThrow().getMetrics(0).getValuesMap());
        assertEquals(T0.getEpochSecond(), first.orElseThrow().getMetrics(0).getTimestamp());

        assertTrue(reports.next("n1").isEmpty(), "no new sample, no report");
        sampled("memory", T0.plusSeconds(60), 41);
        assertEquals(List.of("memory"), types(reports.next("n1")), "only the collector with a new sample");
    }

    @Test
    void aCollectorWithoutASampleIsLeftOut() {
        collectors.put("disk", status("disk", Optional.empty()));
        assertTrue(reports.next("n1").isEmpty());
        sampled("load", T0, 0.5);
        assertEquals(List.of("load"), types(reports.next("n1")));
    }
}
