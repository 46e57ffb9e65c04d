package io.opsd.api.collector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes one sample of some part of the host. Register it as a service annotated with {@link CollectorService};
 * the engine calls {@link #collect()} on its own threads at the interval of its schedule.
 *
 * <p>The engine owns the schedule: it reads the configuration keys {@code enabled}, {@code interval} and
 * {@code timeout} from the collector's service properties (see {@link CollectorSchedule#of(java.util.Map)}) when the
 * service appears and whenever they change, and keeps the last good schedule when an edit is bad. A DS collector
 * therefore declares a {@code @Modified} method, empty unless it has settings of its own, so that an edit keeps its
 * instance (and the counters it takes rates from) instead of recreating it.
 *
 * <p>{@code collect()} must not sleep or wait to measure a rate: rates come from the difference between two
 * calls. A call that throws, or that runs longer than the schedule's timeout, is reported and the previous
 * sample is kept, marked stale; it never delays another collector.
 */
@ConsumerType
public interface Collector {

    /** One sample, taken now. */
    MetricSet collect() throws Exception;

    /**
     * The schedule this collector decides itself, or null (the default) for the one of its service properties.
     * Read when the service appears and again whenever its service properties change.
     */
    default CollectorSchedule schedule() {
        return null;
    }
}
