package io.opsd.manager.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;

/**
 * The Manager link's own figures in {@code /metrics}: {@code opsd_manager_buffer_dropped_total}, the reports and state
 * changes the on-disk buffer dropped because it was full. It outlives a reconfigured link, so the count only grows.
 */
@Component(service = {ManagerLinkMetrics.class, Collector.class})
@CollectorService(name = "manager")
public final class ManagerLinkMetrics implements Collector {

    private static final CollectorSchedule EVERY_10S =
        new CollectorSchedule(true, Duration.ofSeconds(10), Duration.ofSeconds(2));

    private final LongAdder dropped = new LongAdder();

    /** One buffered entry was dropped to make room. */
    void dropped() {
        dropped.increment();
    }

    @Override
    public CollectorSchedule schedule() {
        return EVERY_10S;
    }

    @Override
    public MetricSet collect() {
        long n = dropped.sum();
        return MetricSet.builder("manager", Instant.now()).value("buffer_dropped", n)
            .counter("buffer_dropped_total", "Reports and state changes dropped because the buffer for the Manager"
                + " was full (buffer_max in io.opsd.manager)", n)
            .build();
    }
}
