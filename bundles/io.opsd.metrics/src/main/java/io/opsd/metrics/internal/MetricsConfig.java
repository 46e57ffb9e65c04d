package io.opsd.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd collection engine",
    description = "Runs every collector on a small shared pool and serves GET /metrics.")
public @interface MetricsConfig {

    @AttributeDefinition(name = "Pool size", description = "Threads kept for collections (1 to 16). A collection"
        + " that hangs holds a thread of its own beyond these, so it never delays the other collectors.")
    int pool__size() default 2;

    @AttributeDefinition(name = "Prometheus endpoint", description = "false answers GET /metrics with 404.")
    boolean prometheus__enabled() default true;
}
