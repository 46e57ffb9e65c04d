package io.opsd.collector.cpu.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd CPU collector",
    description = "CPU busy share over the interval, CPU time by mode, cores, frequency, cgroup quota.")
public @interface CpuCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the CPU series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = "Time between two collections, such as 60s (at least 100ms)."
        + " The busy share is measured over this interval.")
    String interval() default "60s";

    @AttributeDefinition(name = "Timeout", description = "A collection running longer is reported as timed out,"
        + " such as 5s (at least 10ms).")
    String timeout() default "5s";
}
