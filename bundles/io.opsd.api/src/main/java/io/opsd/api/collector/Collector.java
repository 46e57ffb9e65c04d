package io.opsd.api.collector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes one sample of some part of the host. Register it as a service annotated with {@link CollectorService};
 * the engine calls {@link #collect()} on its own threads at the interval of {@link #schedule()}.
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
     * When and how long to collect. Read when the service appears and again whenever its service properties
     * change (a configuration edit), so a collector that rejects a bad value keeps its last good schedule.
     */
    default CollectorSchedule schedule() {
        return CollectorSchedule.DEFAULT;
    }
}
