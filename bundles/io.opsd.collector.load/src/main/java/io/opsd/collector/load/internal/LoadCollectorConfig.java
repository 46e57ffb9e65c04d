package io.opsd.collector.load.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd load collector",
    description = "1, 5 and 15-minute load average, runnable and total tasks, uptime and boot time.")
public @interface LoadCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the load series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = "Time between two collections, such as 60s (at least 100ms).")
    String interval() default "60s";

    @AttributeDefinition(name = "Timeout", description = "A collection running longer is reported as timed out,"
        + " such as 5s (at least 10ms).")
    String timeout() default "5s";
}
