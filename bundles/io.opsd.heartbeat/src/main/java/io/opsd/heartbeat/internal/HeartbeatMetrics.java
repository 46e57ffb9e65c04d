package io.opsd.heartbeat.internal;

import java.time.Duration;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;

/** The receiver's figures in {@code /metrics}: {@code opsd_heartbeat_*}. */
@Component(service = Collector.class)
@CollectorService(name = "heartbeat")
public final class HeartbeatMetrics implements Collector {

    private static final CollectorSchedule EVERY_10S =
        new CollectorSchedule(true, Duration.ofSeconds(10), Duration.ofSeconds(2));

    private final HeartbeatReceiver receiver;

    @Activate
    public HeartbeatMetrics(@Reference(name = "receiver") HeartbeatReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public CollectorSchedule schedule() {
        return EVERY_10S;
    }

    @Override
    public MetricSet collect() {
        HeartbeatReceiver.Stats s = receiver.stats();
        MetricSet.Builder set = MetricSet.builder("heartbeat", Instant.now())
            .value("received", s.received()).value("processed", s.processed()).value("errors", s.errors())
            .value("queued", s.queued())
            .counter("received_total", "Heartbeats that passed validation", s.received())
            .counter("processed_total", "Heartbeats applied to the store", s.processed())
            .counter("errors_total", "Heartbeats the store refused", s.errors())
            .gauge("queue_depth", "Heartbeats accepted and not yet applied", s.queued())
            .gauge("apply_seconds_average", "Average time to apply one heartbeat", s.averageLatencyNanos() / 1e9);
        s.responses().forEach((status, n) -> set.counter("responses_total", "HTTP answers by status code", n,
            "code", Integer.toString(status)));
        return set.build();
    }
}
