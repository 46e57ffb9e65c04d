package io.opsd.collector.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd memory collector",
    description = "RAM total, available, used, free, buffers and cache; swap; cgroup memory limit and usage.")
public @interface MemoryCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the memory series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = "Time between two collections, such as 60s (at least 100ms).")
    String interval() default "60s";

    @AttributeDefinition(name = "Timeout", description = "A collection running longer is reported as timed out,"
        + " such as 5s (at least 10ms).")
    String timeout() default "5s";
}
