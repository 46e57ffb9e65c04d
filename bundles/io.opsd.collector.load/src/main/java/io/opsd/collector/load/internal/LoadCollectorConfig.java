package io.opsd.collector.load.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.opsd.api.collector.CollectorSchedule;

@ObjectClassDefinition(name = "opsd load collector",
    description = "1, 5 and 15-minute load average, runnable and total tasks, uptime and boot time.")
public @interface LoadCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the load series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = CollectorSchedule.INTERVAL_DESCRIPTION)
    String interval() default CollectorSchedule.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "Timeout", description = CollectorSchedule.TIMEOUT_DESCRIPTION)
    String timeout() default CollectorSchedule.DEFAULT_TIMEOUT;
}
