package io.opsd.metrics.internal;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.collector.RequireCollectorEngine;
import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.InvalidConfigurationException;

/**
 * Schedules every {@link Collector} service as it appears and unschedules it as it goes: a dynamic, greedy
 * whiteboard, so a collector arriving, leaving or being reconfigured touches no other collector. A collector's
 * schedule comes from its service properties (its configuration keys {@code enabled}, {@code interval} and
 * {@code timeout}) unless it decides its own; a bad edit is logged and the collector keeps its previous schedule.
 */
@Component(configurationPid = "io.opsd.metrics", service = MetricsView.class, immediate = true)
@Designate(ocd = MetricsConfig.class)
@Capability(namespace = "osgi.implementation", name = RequireCollectorEngine.NAME,
    version = RequireCollectorEngine.VERSION)
public final class CollectorEngine implements MetricsView {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorEngine.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** The engine's own figures are opsd_collector_*; opsd's other bundles publish theirs as collectors. */
    private static final Set<String> RESERVED = Set.of("collector");

    private final ScheduledThreadPoolExecutor timer;
    private final CollectionPool workers;
    private final Clock clock;
    private final LongSupplier nanoClock;
    /** by service.id */
    private final Map<Long, CollectorRun> runs = new ConcurrentHashMap<>();

    @Activate
    public CollectorEngine(MetricsConfig config, Map<String, Object> props) {
        this(poolSize(config, props), Clock.systemUTC(), System::nanoTime);
    }

    CollectorEngine(int poolSize, Clock clock) {
        this(poolSize, clock, System::nanoTime);
    }

    /**
     * @param clock wall time, for the times shown to people (when a collector was scheduled)
     * @param nanoClock monotonic nanoseconds, for ages and intervals, which must not jump with the system clock
     */
    CollectorEngine(int poolSize, Clock clock, LongSupplier nanoClock) {
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("opsd-metrics-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.workers = new CollectionPool(poolSize, DaemonThreads.numbered("opsd-metrics-collect"));
    }

    @Modified
    void modified(MetricsConfig config, Map<String, Object> props) {
        try {
            workers.resize(poolSize(config, props));
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the engine keeps its previous settings", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        runs.values().forEach(CollectorRun::stop);
        runs.clear();
        timer.shutdownNow();
        workers.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void addCollector(Collector collector, Map<String, Object> props) {
        Object nameProperty = props.get(CollectorService.NAME);
        String name = nameProperty == null ? null : String.valueOf(nameProperty);
        String problem = problemWithName(name);
        if (problem != null) {
            LOG.error("ignoring the collector {} of bundle {}: {}", name, props.get("component.name"), problem);
            return;
        }
        CollectorRun run = new CollectorRun(name, collector, firstSchedule(collector, name, props), timer, workers,
            clock, nanoClock);
        runs.put(serviceId(props), run);
        run.start();
    }

    void updatedCollector(Collector collector, Map<String, Object> props) {
        CollectorRun run = runs.get(serviceId(props));
        if (run == null) {
            return;
        }
        CollectorSchedule next;
        try {
            next = scheduleOf(collector, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the collector keeps its previous settings", e.getMessage());
            return;
        } catch (RuntimeException e) {
            next = unusable(run.name(), e);
        }
        if (run.reschedule(next)) {
            LOG.info("collector {} rescheduled", run.name());
        }
    }

    void removeCollector(Collector collector, Map<String, Object> props) {
        CollectorRun run = runs.remove(serviceId(props));
        if (run != null) {
            run.stop();
            LOG.info("collector {} removed", run.name());
        }
    }

    @Override
    public Map<String, CollectorStatus> collectors() {
        Map<String, CollectorStatus> byName = new TreeMap<>();
        for (CollectorRun run : runs.values()) {
            byName.put(run.name(), run.status());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    private String problemWithName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "its " + CollectorService.NAME + " must be 1 to 32 lower case letters, digits or '_', starting with"
                + " a letter";
        }
        if (RESERVED.contains(name)) {
            return "the name \"" + name + "\" is reserved for opsd's own figures";
        }
        for (CollectorRun run : runs.values()) {
            if (run.name().equals(name)) {
                return "another collector already has the name \"" + name + "\"";
            }
        }
        return null;
    }

    private static CollectorSchedule firstSchedule(Collector collector, String name, Map<String, Object> props) {
        try {
            return scheduleOf(collector, props);
        } catch (RuntimeException e) {
            return unusable(name, e);
        }
    }

    /** The schedule the collector decides itself, else the one of its service properties. */
    private static CollectorSchedule scheduleOf(Collector collector, Map<String, Object> props) {
        CollectorSchedule own = collector.schedule();
        return own == null ? CollectorSchedule.of(props) : own;
    }

    private static CollectorSchedule unusable(String name, RuntimeException e) {
        LOG.error("collector {} has no usable schedule ({}); using the default", name, e.toString());
        return CollectorSchedule.DEFAULT;
    }

    private static long serviceId(Map<String, Object> props) {
        return (Long) props.get(Constants.SERVICE_ID);
    }

    private static int poolSize(MetricsConfig config, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        int size = check.integer("pool_size", config::pool__size);
        if (size < 1 || size > 16) {
            throw check.invalid("pool_size", size, "is out of range; use 1 to 16");
        }
        return size;
    }
}
