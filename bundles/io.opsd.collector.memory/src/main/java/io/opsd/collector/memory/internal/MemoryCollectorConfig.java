package io.opsd.collector.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.opsd.api.collector.CollectorSchedule;

@ObjectClassDefinition(name = "opsd memory collector",
    description = "RAM total, available, used, free, buffers and cache; swap; cgroup memory limit and usage.")
public @interface MemoryCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the memory series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = CollectorSchedule.INTERVAL_DESCRIPTION)
    String interval() default CollectorSchedule.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "Timeout", description = CollectorSchedule.TIMEOUT_DESCRIPTION)
    String timeout() default CollectorSchedule.DEFAULT_TIMEOUT;
}
