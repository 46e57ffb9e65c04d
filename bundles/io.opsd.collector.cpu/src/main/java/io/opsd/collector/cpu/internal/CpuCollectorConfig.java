package io.opsd.collector.cpu.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.opsd.api.collector.CollectorSchedule;

@ObjectClassDefinition(name = "opsd CPU collector",
    description = "CPU busy share over the interval, CPU time by mode, cores, frequency, cgroup quota.")
public @interface CpuCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the CPU series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = CollectorSchedule.INTERVAL_DESCRIPTION
        + " The busy share is measured over this interval.")
    String interval() default CollectorSchedule.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "Timeout", description = CollectorSchedule.TIMEOUT_DESCRIPTION)
    String timeout() default CollectorSchedule.DEFAULT_TIMEOUT;
}
