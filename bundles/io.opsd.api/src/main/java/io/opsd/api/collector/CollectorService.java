package io.opsd.api.collector;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks a {@link Collector} component: sets the service property {@code opsd.collector.name}, and makes the
 * bundle require the collection engine, so a collector cannot resolve in a runtime that would never run it.
 */
@ComponentPropertyType
@RequireCollectorEngine
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CollectorService {

    String PREFIX_ = "opsd.collector.";

    /** The service property holding the collector's name. */
    String NAME = PREFIX_ + "name";

    /**
     * Unique per node, lower case letters, digits and '_' ("cpu", "disk"): the Manager's {@code MetricData.type}
     * and the second word of the Prometheus names ({@code opsd_cpu_...}).
     */
    String name();
}
