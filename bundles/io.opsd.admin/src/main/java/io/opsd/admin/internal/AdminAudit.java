package io.opsd.admin.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.admin.Caller;
import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;

/**
 * The audit of node administration: one INFO line per change (caller, peer, what, outcome) on the
 * {@code io.opsd.admin.audit} logger, and {@code opsd_admin_operations_total{operation,result}} in {@code /metrics}.
 */
@Component(service = {AdminAudit.class, Collector.class})
@CollectorService(name = "admin")
public final class AdminAudit implements Collector {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.opsd.admin.audit");
    private static final CollectorSchedule EVERY_2S =
        new CollectorSchedule(true, Duration.ofSeconds(2), Duration.ofSeconds(1));

    /** operation and result, as the metric's labels. */
    private record Key(String operation, String result) {
    }

    private final Map<Key, LongAdder> operations = new ConcurrentHashMap<>();

    /**
     * Logs and counts one operation. {@code result} is {@code ok} or the refusal's code in lower case
     * ({@code failed_precondition}); {@code what} names the change and {@code outcome} how it ended.
     */
    public void record(Caller caller, String operation, String what, String result, String outcome) {
        operations.computeIfAbsent(new Key(operation, result), k -> new LongAdder()).increment();
        AUDIT.info("admin {} by {}: {}: {}{}", operation, caller, what, result,
            outcome == null || outcome.isEmpty() ? "" : " (" + outcome + ")");
    }

    long count(String operation, String result) {
        LongAdder n = operations.get(new Key(operation, result));
        return n == null ? 0 : n.sum();
    }

    @Override
    public CollectorSchedule schedule() {
        return EVERY_2S;
    }

    @Override
    public MetricSet collect() {
        MetricSet.Builder b = MetricSet.builder("admin", Instant.now());
        Map<Key, Long> sorted = new TreeMap<>((a, c) -> (a.operation + '\0' + a.result)
            .compareTo(c.operation + '\0' + c.result));
        operations.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> b.counter("operations_total",
            "Node administration calls that change something, by operation and result", v,
            "operation", k.operation, "result", k.result));
        return b.build();
    }
}
