package io.opsd.store.internal;

import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.store.MetadataStore;
import io.opsd.api.store.StoreStatus;

/** The store's own figures in {@code /metrics}: {@code opsd_store_*}. */
@Component(service = Collector.class)
@CollectorService(name = "store")
public final class StoreMetrics implements Collector {

    private static final CollectorSchedule EVERY_10S =
        new CollectorSchedule(true, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2));

    private final MetadataStore store;

    @Activate
    public StoreMetrics(@Reference(name = "store") MetadataStore store) {
        this.store = store;
    }

    @Override
    public CollectorSchedule schedule() {
        return EVERY_10S;
    }

    @Override
    public MetricSet collect() {
        StoreStatus s = store.status();
        return MetricSet.builder("store", Instant.now())
            .value("agents", s.agents()).value("pending_writes", s.pendingWrites())
            .value("write_errors", s.writeErrors()).value("corrupt_files", s.corruptFiles())
            .gauge("agents", "Agents the store holds", s.agents())
            .gauge("pending_writes", "Agents whose latest state is not on disk yet", s.pendingWrites())
            .gauge("failing", "1 while writes to data/agents fail (the store serves from memory and retries)",
                s.problem().isPresent() ? 1 : 0)
            .counter("updates_total", "Changes applied since the store started", s.updates())
            .counter("writes_total", "Files written since the store started", s.writes())
            .counter("write_errors_total", "Writes that failed", s.writeErrors())
            .counter("corrupt_files_total", "Unreadable files found at load and moved aside", s.corruptFiles())
            .build();
    }
}
