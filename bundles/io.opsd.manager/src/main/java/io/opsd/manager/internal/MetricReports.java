package io.opsd.manager.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.collector.MetricsView;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.ReportMetricsRequest;

/** Reports of the collectors' samples, each sample once: a report holds what was sampled since the last one. */
final class MetricReports {

    private final MetricsView metrics;
    /** Collector name → time of the last sample reported. */
    private final Map<String, Instant> reported = new HashMap<>();

    MetricReports(MetricsView metrics) {
        this.metrics = metrics;
    }

    /** The next report, or empty when no collector has a sample it has not reported yet. */
    Optional<ReportMetricsRequest> next(String nodeId) {
        ReportMetricsRequest.Builder request = ReportMetricsRequest.newBuilder().setNodeId(nodeId);
        for (CollectorStatus c : metrics.collectors().values()) {
            Optional<MetricSet> latest = c.latest();
            if (latest.isEmpty() || latest.get().time().equals(reported.get(c.name()))) {
                continue; // nothing new since the last report
            }
            MetricSet set = latest.get();
            reported.put(c.name(), set.time());
            request.addMetrics(MetricData.newBuilder().setType(set.collector())
                .setTimestamp(set.time().getEpochSecond()).putAllValues(set.values()));
        }
        return request.getMetricsCount() > 0 ? Optional.of(request.build()) : Optional.empty();
    }
}
